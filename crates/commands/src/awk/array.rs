//! awk associative arrays: string keys, iteration in insertion order (gawk
//! leaves the order unspecified; insertion order keeps runs deterministic).

use std::collections::HashMap;

use super::value::{Str, Value};

#[derive(Default, Debug)]
pub struct Array {
    index: HashMap<Str, usize>,
    slots: Vec<Option<(Str, Value)>>,
}

impl Array {
    /// The number of elements.
    pub fn count(&self) -> usize {
        self.index.len()
    }

    pub fn get(&self, k: &[u8]) -> Option<&Value> {
        let i = *self.index.get(k)?;
        self.slots[i].as_ref().map(|(_, v)| v)
    }

    pub fn contains(&self, k: &[u8]) -> bool {
        self.index.contains_key(k)
    }

    /// The element, created uninitialized if missing (awk's reference
    /// semantics).
    pub fn get_or_create(&mut self, k: &Str) -> &mut Value {
        let i = match self.index.get(&k[..]) {
            Some(&i) => i,
            None => {
                self.slots.push(Some((k.clone(), Value::Uninit)));
                let i = self.slots.len() - 1;
                self.index.insert(k.clone(), i);
                i
            }
        };
        match &mut self.slots[i] {
            Some((_, v)) => v,
            None => unreachable!("indexed slots are live"),
        }
    }

    pub fn set(&mut self, k: Str, v: Value) {
        *self.get_or_create(&k) = v;
    }

    pub fn remove(&mut self, k: &[u8]) {
        if let Some(i) = self.index.remove(k) {
            self.slots[i] = None;
            if self.slots.len() > 32 && self.index.len() * 2 < self.slots.len() {
                self.compact();
            }
        }
    }

    fn compact(&mut self) {
        self.slots.retain(|s| s.is_some());
        for (i, s) in self.slots.iter().enumerate() {
            if let Some((k, _)) = s {
                self.index.insert(k.clone(), i);
            }
        }
    }

    pub fn clear(&mut self) {
        self.index.clear();
        self.slots.clear();
    }

    /// A snapshot of the keys, for `for (k in a)`.
    pub fn keys(&self) -> Vec<Str> {
        self.slots.iter().flatten().map(|(k, _)| k.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn insertion_order_and_removal() {
        let mut a = Array::default();
        for k in ["b", "a", "c"] {
            a.set(Rc::from(k.as_bytes()), Value::Num(1.0));
        }
        a.remove(b"a");
        let keys: Vec<String> = a.keys().iter().map(|k| String::from_utf8_lossy(k).into_owned()).collect();
        assert_eq!(keys, vec!["b", "c"]);
        assert_eq!(a.count(), 2);
        assert!(a.get(b"a").is_none());
        assert!(matches!(a.get_or_create(&Rc::from(&b"z"[..])), Value::Uninit));
        assert_eq!(a.count(), 3);
    }
}
