//! Compact binary encodings of the static index: LEB128 varints, posting lists and document
//! sets. `search.js` decodes the same layouts.

/// Appends `v` as an unsigned LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*pos`, advancing it; `None` when the data ends early.
pub fn get_varint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// One posting: the document's ordinal and its quantised term impact (1..=255).
pub type Posting = (u32, u8);

/// A posting list sorted by ordinal: count, ordinal deltas, then the impacts.
pub fn encode_postings(postings: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 2 + 2);
    put_varint(&mut out, postings.len() as u64);
    let mut last = 0u32;
    for (i, &(ord, _)) in postings.iter().enumerate() {
        let delta = if i == 0 { ord } else { ord - last };
        put_varint(&mut out, u64::from(delta));
        last = ord;
    }
    out.extend(postings.iter().map(|&(_, q)| q));
    out
}

pub fn decode_postings(data: &[u8]) -> Option<Vec<Posting>> {
    let mut pos = 0;
    let n = usize::try_from(get_varint(data, &mut pos)?).ok()?;
    let mut ords = Vec::with_capacity(n.min(data.len()));
    let mut last = 0u64;
    for i in 0..n {
        let d = get_varint(data, &mut pos)?;
        last = if i == 0 { d } else { last + d };
        ords.push(u32::try_from(last).ok()?);
    }
    let impacts = data.get(pos..pos + n)?;
    Some(ords.into_iter().zip(impacts.iter().copied()).collect())
}

const SET_LIST: u8 = 0;
const SET_RUNS: u8 = 1;
const SET_BITS: u8 = 2;

/// A set of ordinals (sorted, distinct) below `n`, in whichever of three layouts is smallest:
/// a delta list, runs (gap, length) or a bitmap. Years are runs (records are sorted by date);
/// a frequent status is a bitmap.
pub fn encode_set(ords: &[u32], n: u32) -> Vec<u8> {
    let list = set_as_list(ords);
    let runs = set_as_runs(ords);
    let bits = set_as_bits(ords, n);
    [list, runs, bits]
        .into_iter()
        .min_by_key(Vec::len)
        .unwrap_or_default()
}

fn set_as_list(ords: &[u32]) -> Vec<u8> {
    let mut out = vec![SET_LIST];
    put_varint(&mut out, ords.len() as u64);
    let mut next = 0u32;
    for &o in ords {
        put_varint(&mut out, u64::from(o - next));
        next = o + 1;
    }
    out
}

fn set_as_runs(ords: &[u32]) -> Vec<u8> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &o in ords {
        match runs.last_mut() {
            Some((start, len)) if *start + *len == o => *len += 1,
            _ => runs.push((o, 1)),
        }
    }
    let mut out = vec![SET_RUNS];
    put_varint(&mut out, runs.len() as u64);
    let mut next = 0u32;
    for (start, len) in runs {
        put_varint(&mut out, u64::from(start - next));
        put_varint(&mut out, u64::from(len));
        next = start + len;
    }
    out
}

fn set_as_bits(ords: &[u32], n: u32) -> Vec<u8> {
    let mut out = vec![SET_BITS];
    put_varint(&mut out, u64::from(n));
    let start = out.len();
    out.resize(start + (n as usize).div_ceil(8), 0);
    for &o in ords {
        out[start + (o / 8) as usize] |= 1 << (o % 8);
    }
    out
}

pub fn decode_set(data: &[u8]) -> Option<Vec<u32>> {
    let (&kind, rest) = data.split_first()?;
    let mut pos = 0;
    let mut out = Vec::new();
    match kind {
        SET_LIST => {
            let count = get_varint(rest, &mut pos)?;
            let mut next = 0u64;
            for _ in 0..count {
                let o = next + get_varint(rest, &mut pos)?;
                out.push(u32::try_from(o).ok()?);
                next = o + 1;
            }
        }
        SET_RUNS => {
            let count = get_varint(rest, &mut pos)?;
            let mut next = 0u64;
            for _ in 0..count {
                let start = next + get_varint(rest, &mut pos)?;
                let len = get_varint(rest, &mut pos)?;
                out.extend((start..start + len).filter_map(|o| u32::try_from(o).ok()));
                next = start + len;
            }
        }
        SET_BITS => {
            let n = get_varint(rest, &mut pos)?;
            let bytes = rest.get(pos..)?;
            for o in 0..n {
                if bytes.get((o / 8) as usize)? & (1 << (o % 8)) != 0 {
                    out.push(u32::try_from(o).ok()?);
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

/// FNV-1a over UTF-8 bytes: picks a term's dictionary shard (same in `search.js`).
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn varint_edges() {
        for v in [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut pos = 0;
            assert_eq!(get_varint(&out, &mut pos), Some(v));
            assert_eq!(pos, out.len());
        }
        assert_eq!(get_varint(&[0x80], &mut 0), None);
    }

    #[test]
    fn sets_pick_the_smallest_layout() {
        let year: Vec<u32> = (1000..3000).collect();
        assert_eq!(encode_set(&year, 10_000)[0], SET_RUNS);
        let most: Vec<u32> = (0..10_000).filter(|o| o % 7 != 0).collect();
        assert_eq!(encode_set(&most, 10_000)[0], SET_BITS);
        let few = [5u32, 900, 9_000];
        assert_eq!(encode_set(&few, 10_000)[0], SET_LIST);
        assert_eq!(decode_set(&encode_set(&[], 10)), Some(vec![]));
    }

    #[test]
    fn shard_hash_is_fnv1a() {
        // Known FNV-1a 32-bit values.
        assert_eq!(shard_of("", u32::MAX), 0x811c_9dc5);
        assert_eq!(shard_of("a", u32::MAX), 0xe40c_292c);
    }

    proptest! {
        #[test]
        fn postings_round_trip(mut v in proptest::collection::btree_map(0u32..1_000_000, 1u8..=255, 0..300)) {
            let postings: Vec<Posting> = std::mem::take(&mut v).into_iter().collect();
            prop_assert_eq!(decode_postings(&encode_postings(&postings)), Some(postings));
        }

        #[test]
        fn sets_round_trip(s in proptest::collection::btree_set(0u32..5_000, 0..2_000)) {
            let ords: Vec<u32> = s.into_iter().collect();
            prop_assert_eq!(decode_set(&encode_set(&ords, 5_000)), Some(ords.clone()));
            prop_assert_eq!(decode_set(&set_as_list(&ords)), Some(ords.clone()));
            prop_assert_eq!(decode_set(&set_as_runs(&ords)), Some(ords.clone()));
            prop_assert_eq!(decode_set(&set_as_bits(&ords, 5_000)), Some(ords));
        }
    }
}
