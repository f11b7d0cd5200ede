//! Finding many names in text, leftmost-longest, without an automaton.
//!
//! The gazetteer has some 40,000 names. An Aho-Corasick automaton over them
//! walks a large graph byte by byte, three bytes a Chinese character, and
//! misses the cache at most of them. Names are short and start with a
//! character pair few others share, so this index looks up each position's
//! first two characters in a hash table and compares the few names filed
//! there: one probe of a bit filter for most characters, one table probe
//! for the rest.
//! It finds what an automaton built with `MatchKind::LeftmostLongest` finds
//! (a property test holds the two together).

use foldhash::HashMap;

/// A set of names to find in text.
pub struct NameIndex {
    /// Names by their first two characters (one-character names under their
    /// character and [`ALONE`]): a range of `entries`.
    by_start: HashMap<u64, (u32, u32)>,
    /// (id, byte range in `text`) of every name, grouped by first two
    /// characters, longest first in each group: a lookup reads one table
    /// slot, one run of entries and the candidates' text, all contiguous.
    entries: Vec<(u32, u32, u32)>,
    /// Every name, one after another.
    text: String,
    /// A one-sided filter over the keys of names of two or more characters:
    /// a clear bit means no such name starts with that pair.
    pairs: Vec<u64>,
    /// The filter has 2 to the power of this many bits.
    pair_bits: u32,
    /// Bit per character of the Basic Multilingual Plane: a one-character
    /// name is that character (those outside the plane are always looked up).
    alone: Vec<u64>,
    /// Bit per character of the Basic Multilingual Plane: some name starts
    /// with it (those outside the plane always may).
    starts: Vec<u64>,
}

/// The second half of the key of a one-character name (not a character).
const ALONE: u32 = u32::MAX;
/// Bits of the pair filter per name, rounded up to a power of two: about 3 %
/// of them are set, and a few hundred topic terms fit in a few KiB.
const PAIR_BITS_PER_NAME: usize = 32;
/// The largest filter: 2^20 bits, 128 KiB (the 40,000 names of the default gazetteer).
const MAX_PAIR_BITS: u32 = 20;

/// One name found: its id (its index in the list given) and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The name's index in the list the index was built from.
    pub id: usize,
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

fn key(first: char, second: u32) -> u64 {
    (u64::from(first as u32) << 32) | u64::from(second)
}

/// The bit of `key` in a pair filter of 2^`bits` bits.
fn pair_bit(key: u64, bits: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

fn test_bit(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

/// Marks `c` in a bitset over the Basic Multilingual Plane (characters
/// outside it are not kept: [`marked`] says yes to all of them).
fn mark(bits: &mut [u64], c: char) {
    if (c as usize) < 0x10000 {
        set_bit(bits, c as usize);
    }
}

/// Whether `c` may be marked in a bitset over the Basic Multilingual Plane.
fn marked(bits: &[u64], c: char) -> bool {
    (c as usize) >= 0x10000 || test_bit(bits, c as usize)
}

impl NameIndex {
    /// Indexes `names`; empty names are never found.
    pub fn new<S: AsRef<str>>(names: &[S]) -> NameIndex {
        let pair_bits = (names.len() * PAIR_BITS_PER_NAME).next_power_of_two().trailing_zeros().clamp(6, MAX_PAIR_BITS);
        let mut pairs = vec![0u64; (1 << pair_bits) / 64];
        let mut alone = vec![0u64; 0x10000 / 64];
        let mut starts = vec![0u64; 0x10000 / 64];
        let mut keyed: Vec<(u64, usize)> = Vec::with_capacity(names.len());
        for (id, name) in names.iter().enumerate() {
            let mut chars = name.as_ref().chars();
            let Some(first) = chars.next() else { continue };
            mark(&mut starts, first);
            let k = match chars.next() {
                Some(second) => {
                    let k = key(first, second as u32);
                    set_bit(&mut pairs, pair_bit(k, pair_bits));
                    k
                }
                None => {
                    mark(&mut alone, first);
                    key(first, ALONE)
                }
            };
            keyed.push((k, id));
        }
        let len = |id: usize| names[id].as_ref().len();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(len(b.1).cmp(&len(a.1))));
        let mut text = String::new();
        let mut entries = Vec::with_capacity(keyed.len());
        let mut by_start: HashMap<u64, (u32, u32)> = HashMap::default();
        for (k, id) in keyed {
            let at = text.len() as u32;
            text.push_str(names[id].as_ref());
            let range = by_start.entry(k).or_insert((entries.len() as u32, entries.len() as u32));
            range.1 += 1;
            entries.push((id as u32, at, text.len() as u32));
        }
        NameIndex { by_start, entries, text, pairs, pair_bits, alone, starts }
    }

    /// Whether some name may start with `c`.
    fn may_start(&self, c: char) -> bool {
        marked(&self.starts, c)
    }

    /// Whether `text` may hold a name: some character of it starts one.
    pub fn may_hold(&self, text: &str) -> bool {
        text.chars().any(|c| self.may_start(c))
    }

    /// The longest name filed under `key` that `rest` starts with: its id and length.
    fn longest(&self, rest: &str, key: u64) -> Option<(usize, usize)> {
        let &(from, to) = self.by_start.get(&key)?;
        self.entries[from as usize..to as usize].iter().find_map(|&(id, start, end)| {
            let name = &self.text.as_bytes()[start as usize..end as usize];
            rest.as_bytes().starts_with(name).then_some((id as usize, name.len()))
        })
    }

    /// Every name in `text`, left to right, without overlaps: at each place
    /// the longest name starting there, then on from its end.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Found> + 'a {
        let mut chars = text.char_indices().peekable();
        std::iter::from_fn(move || {
            while let Some((at, c)) = chars.next() {
                if !self.may_start(c) {
                    continue;
                }
                let rest = &text[at..];
                let pair = chars.peek().map(|&(_, second)| key(c, second as u32));
                let longest = pair
                    .filter(|&k| test_bit(&self.pairs, pair_bit(k, self.pair_bits)))
                    .and_then(|k| self.longest(rest, k))
                    .or_else(|| marked(&self.alone, c).then(|| self.longest(rest, key(c, ALONE))).flatten());
                if let Some((id, len)) = longest {
                    let found = Found { id, start: at, end: at + len };
                    while chars.next_if(|&(i, _)| i < found.end).is_some() {}
                    return Some(found);
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    use super::*;

    fn found<'n>(names: &[&'n str], text: &str) -> Vec<(usize, &'n str)> {
        NameIndex::new(names).find_iter(text).map(|f| (f.start, names[f.id])).collect()
    }

    #[test]
    fn the_longest_name_at_the_leftmost_place_wins_and_matches_do_not_overlap() {
        let names = ["运城", "运城市", "城市", "闻喜县", "闻喜", "县"];
        assert_eq!(found(&names, "运城市闻喜县城"), vec![(0, "运城市"), (9, "闻喜县")]);
        assert_eq!(found(&names, "去县里"), vec![(3, "县")]);
        assert_eq!(found(&names, "城市"), vec![(0, "城市")]);
        assert!(found(&names, "").is_empty());
        assert!(found(&names, "运").is_empty());
    }

    #[test]
    fn names_outside_the_basic_plane_and_empty_names() {
        let names = ["𠀋村", "", "a"];
        assert_eq!(found(&names, "x𠀋村a"), vec![(1, "𠀋村"), (8, "a")]);
    }

    proptest! {
        #[test]
        fn finds_what_a_leftmost_longest_automaton_finds(
            names in prop::collection::vec("[甲乙丙丁a]{1,4}", 1..30),
            text in "[甲乙丙丁ab ]{0,60}",
        ) {
            let mut names = names;
            names.sort();
            names.dedup();
            let ac = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&names).unwrap();
            let expected: Vec<(usize, usize, usize)> =
                ac.find_iter(&text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect();
            let got: Vec<(usize, usize, usize)> =
                NameIndex::new(&names).find_iter(&text).map(|f| (f.id, f.start, f.end)).collect();
            prop_assert_eq!(got, expected);
        }
    }
}
