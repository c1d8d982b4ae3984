//! Helpers the unit tests share: deterministic random texts built from pieces chosen to stress a
//! parser, so that a property test runs the same inputs on every machine.

/// Yields `count` texts of up to `max_pieces` pieces each, drawn with a xorshift generator.
pub(crate) fn random_texts<'a>(
    seed: u64,
    pieces: &'a [&'a str],
    count: usize,
    max_pieces: usize,
) -> impl Iterator<Item = String> + 'a {
    let mut state = seed | 1;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).expect("below n fits")
    };
    (0..count).map(move |_| {
        let len = next(max_pieces);
        (0..len).map(|_| pieces[next(pieces.len())]).collect()
    })
}
