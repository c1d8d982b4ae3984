//! A unified diff of two texts, line by line, as `diff -u` prints it: what `setup --dry-run`
//! shows before it writes anything. Pure.

/// Returns the unified diff turning `old` into `new` (empty when they are equal), with three
/// lines of context and `--- a/<label>` / `+++ b/<label>` headers (`/dev/null` for a missing side).
pub fn unified(label: &str, old: Option<&str>, new: Option<&str>) -> String {
    // Lines keep their newline, so a last line without one differs from the same line with one.
    let a: Vec<&str> = old
        .map(|t| t.split_inclusive('\n').collect())
        .unwrap_or_default();
    let b: Vec<&str> = new
        .map(|t| t.split_inclusive('\n').collect())
        .unwrap_or_default();
    if old == new {
        return String::new();
    }
    let ops = edit_script(&a, &b);
    let mut out = format!(
        "--- {}\n+++ {}\n",
        old.map_or("/dev/null".to_string(), |_| format!("a/{label}")),
        new.map_or("/dev/null".to_string(), |_| format!("b/{label}")),
    );
    for hunk in hunks(&ops, 3) {
        out.push_str(&render_hunk(&ops[hunk], &a, &b));
    }
    out
}

/// One step of the edit script: a line kept (`a` index, `b` index), removed, or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Keep(usize, usize),
    Remove(usize),
    Add(usize),
}

/// The shortest edit script by longest common subsequence over the part between the common
/// head and tail (the part an edit of a settings file touches).
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Keep(i, i)).collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            ops.push(Op::Keep(head + i, head + j));
            (i, j) = (i + 1, j + 1);
        } else if i < ma.len() && (j == mb.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions, as diff -u orders a changed line.
            ops.push(Op::Remove(head + i));
            i += 1;
        } else {
            ops.push(Op::Add(head + j));
            j += 1;
        }
    }
    let (ea, eb) = (a.len() - tail, b.len() - tail);
    ops.extend((0..tail).map(|k| Op::Keep(ea + k, eb + k)));
    ops
}

/// The ranges of `ops` that make hunks: each change with `context` kept lines around it,
/// neighbours merged.
fn hunks(ops: &[Op], context: usize) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        if matches!(op, Op::Keep(..)) {
            continue;
        }
        let start = k.saturating_sub(context);
        let end = (k + context + 1).min(ops.len());
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

fn render_hunk(ops: &[Op], a: &[&str], b: &[&str]) -> String {
    let (mut old_start, mut new_start) = (None, None);
    let (mut old_len, mut new_len) = (0, 0);
    let mut body = String::new();
    for op in ops {
        match *op {
            Op::Keep(i, j) => {
                old_start.get_or_insert(i);
                new_start.get_or_insert(j);
                old_len += 1;
                new_len += 1;
                body.push_str(&line(' ', a[i]));
            }
            Op::Remove(i) => {
                old_start.get_or_insert(i);
                old_len += 1;
                body.push_str(&line('-', a[i]));
            }
            Op::Add(j) => {
                new_start.get_or_insert(j);
                new_len += 1;
                body.push_str(&line('+', b[j]));
            }
        }
    }
    // diff -u numbers from 1, and names the line before an empty side.
    let range = |start: Option<usize>, len: usize, fallback: usize| {
        let start = start.unwrap_or(fallback);
        match len {
            0 => format!("{start},0"),
            1 => format!("{}", start + 1),
            _ => format!("{},{len}", start + 1),
        }
    };
    let before_new = ops.iter().find_map(|op| match op {
        Op::Keep(_, j) => Some(*j),
        _ => None,
    });
    let before_old = ops.iter().find_map(|op| match op {
        Op::Keep(i, _) => Some(*i),
        _ => None,
    });
    format!(
        "@@ -{} +{} @@\n{body}",
        range(old_start, old_len, before_old.unwrap_or(0)),
        range(new_start, new_len, before_new.unwrap_or(0)),
    )
}

/// One line of a hunk: `mark`, the text, and git's marker for a last line without a newline.
fn line(mark: char, text: &str) -> String {
    match text.strip_suffix('\n') {
        Some(text) => format!("{mark}{text}\n"),
        None => format!("{mark}{text}\n\\ No newline at end of file\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("x", Some("a\n"), Some("a\n")), "");
        assert_eq!(unified("x", None, None), "");
    }

    #[test]
    fn a_change_reads_as_diff_u_prints_it() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n";
        assert_eq!(
            unified("f", Some(old), Some(new)),
            "--- a/f\n+++ b/f\n@@ -3,7 +3,8 @@\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n+10\n"
        );
    }

    #[test]
    fn a_new_file_and_a_removed_file() {
        assert_eq!(
            unified("f", None, Some("a\nb\n")),
            "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
        assert_eq!(
            unified("f", Some("a\n"), None),
            "--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n"
        );
    }

    #[test]
    fn a_missing_last_newline_is_a_change_and_is_marked() {
        assert_eq!(
            unified("f", Some("a"), Some("a\n")),
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"
        );
    }
}
