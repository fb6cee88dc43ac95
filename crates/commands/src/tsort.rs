//! `tsort [FILE]`: topological sort of whitespace-separated pairs, in the
//! order GNU tsort produces (Knuth's algorithm over a name-sorted tree,
//! successors most-recent first). Loops are reported and broken.

use std::collections::BTreeMap;

use agentos_kernel::Task;

use crate::util;

const NAME: &str = "tsort";

struct Node {
    count: usize,
    /// Successors, most recently recorded first.
    succ: Vec<usize>,
    done: bool,
}

/// Sort; returns the order and the loops found (each a list of names).
pub fn tsort(tokens: &[&str]) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut names: Vec<&str> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    for t in tokens {
        if !ids.contains_key(t) {
            ids.insert(t, names.len());
            names.push(t);
            nodes.push(Node { count: 0, succ: Vec::new(), done: false });
        }
    }
    for pair in tokens.chunks(2) {
        let (a, b) = (ids[pair[0]], ids[pair[1]]);
        if a != b {
            nodes[b].count += 1;
            nodes[a].succ.insert(0, b);
        }
    }
    let sorted: Vec<usize> = ids.values().copied().collect();
    let mut out = Vec::new();
    let mut loops = Vec::new();
    let mut left = names.len();
    while left > 0 {
        let mut queue: std::collections::VecDeque<usize> =
            sorted.iter().copied().filter(|&i| !nodes[i].done && nodes[i].count == 0).collect();
        while let Some(n) = queue.pop_front() {
            out.push(names[n].to_string());
            nodes[n].done = true;
            left -= 1;
            for s in nodes[n].succ.clone() {
                nodes[s].count -= 1;
                if nodes[s].count == 0 {
                    queue.push_back(s);
                }
            }
        }
        if left == 0 {
            break;
        }
        // A loop: walk predecessors from the first remaining node until a
        // node repeats, report that cycle, and break its closing edge.
        let start = sorted.iter().copied().find(|&i| !nodes[i].done).unwrap_or(0);
        let pred =
            |n: usize, nodes: &[Node]| sorted.iter().copied().find(|&p| !nodes[p].done && nodes[p].succ.contains(&n));
        let mut path = vec![start];
        let mut cur = start;
        while let Some(p) = pred(cur, &nodes) {
            if let Some(pos) = path.iter().position(|&x| x == p) {
                // `path` runs backwards along edges; report it forwards
                // from the repeated node, then break the edge into it.
                let mut cyc = vec![path[pos]];
                cyc.extend(path[pos + 1..].iter().rev());
                loops.push((out.len(), cyc.iter().map(|&i| names[i].to_string()).collect()));
                let (from, into) = (path[pos + 1..].first().copied().unwrap_or(p), path[pos]);
                if let Some(k) = nodes[from].succ.iter().position(|&x| x == into) {
                    nodes[from].succ.remove(k);
                    nodes[into].count -= 1;
                }
                break;
            }
            path.push(p);
            cur = p;
        }
        if path.len() == 1 && pred(start, &nodes).is_none() {
            break;
        }
    }
    (out, loops)
}

pub fn main(task: &mut Task) -> i32 {
    let args = &task.argv[1..];
    let ops: Vec<&String> = args.iter().filter(|a| *a != "--").collect();
    if ops.len() > 1 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(ops[1])), 1);
    }
    let f = ops.first().map_or("-", |s| s.as_str()).to_string();
    let data = match util::input::read_file(task, &f) {
        Ok(d) => d,
        Err(e) => {
            util::error_file(task, NAME, &f, e);
            return 1;
        }
    };
    let text = String::from_utf8_lossy(&data);
    let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
    if tokens.len() % 2 == 1 {
        util::error(task, NAME, &format!("{f}: input contains an odd number of tokens"));
        return 1;
    }
    let (order, loops) = tsort(&tokens);
    // Output so far is flushed before each loop report, as GNU's error()
    // flushes stdout.
    let mut done = 0;
    let mut emit = |upto: usize| {
        let text: String = order[done..upto].iter().map(|n| format!("{n}\n")).collect();
        util::out(task, text.as_bytes());
        done = upto;
    };
    for (at, l) in &loops {
        emit(*at);
        util::error(task, NAME, &format!("{f}: input contains a loop:"));
        for n in l {
            util::error(task, NAME, n);
        }
    }
    emit(order.len());
    i32::from(!loops.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn orders_like_gnu() {
        let (o, l) = super::tsort(&["b", "a", "c", "a", "d", "d"]);
        assert_eq!(o, vec!["b", "c", "d", "a"]);
        assert!(l.is_empty());
        let (o, l) = super::tsort(&["a", "b", "b", "c", "x", "y", "c", "a"]);
        assert_eq!(o, vec!["x", "y", "a", "b", "c"]);
        assert_eq!(l, vec![(2, vec!["a".to_string(), "b".to_string(), "c".to_string()])]);
    }
}
