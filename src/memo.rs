//! A small per-thread memo for pure functions of a text: what the units of a batch share with their
//! parent plan (most paragraphs and strings) is worked out once per thread, not once per unit. It
//! holds at most a given number of bytes of keys, then starts afresh (the shared texts come back at
//! once, the units' own ones are dropped), so it never grows with the number of units.

use std::collections::HashMap;
use std::hash::Hash;

pub(crate) struct Memo<K, V> {
    map: HashMap<K, V>,
    bytes: usize,
    limit: usize,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// A memo of at most `limit` bytes of keys.
    pub(crate) fn new(limit: usize) -> Memo<K, V> {
        Memo { map: HashMap::new(), bytes: 0, limit }
    }

    /// The value kept for `key`.
    pub(crate) fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.map.get(key).cloned()
    }

    /// Keeps `value` for `key`, which is `bytes` long.
    pub(crate) fn insert(&mut self, key: K, bytes: usize, value: V) {
        if self.bytes + bytes > self.limit {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += bytes;
        self.map.insert(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_keeps_its_bound() {
        let mut m: Memo<String, usize> = Memo::new(10);
        m.insert("abcd".into(), 4, 1);
        m.insert("efgh".into(), 4, 2);
        assert_eq!((m.get("abcd"), m.get("efgh")), (Some(1), Some(2)));
        // A third key over the bound: the memo starts afresh with it.
        m.insert("ijkl".into(), 4, 3);
        assert_eq!((m.get("abcd"), m.get("ijkl")), (None, Some(3)));
    }
}
