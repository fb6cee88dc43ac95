//! The process table: pid allocation and lookup.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Process;
use crate::abi::Pid;

/// Linux's default `pid_max`.
const PID_MAX: Pid = 32768;

/// Every process of a VM, live or zombie, by pid. Pid 1 is the virtual init.
#[derive(Default)]
pub struct ProcTable {
    pub map: BTreeMap<Pid, Arc<Process>>,
    last_pid: Pid,
}

impl ProcTable {
    /// The next free pid after the last one handed out, wrapping at
    /// `pid_max` as Linux does.
    pub fn alloc_pid(&mut self) -> Option<Pid> {
        for _ in 0..PID_MAX {
            self.last_pid += 1;
            if self.last_pid >= PID_MAX {
                self.last_pid = 2;
            }
            if self.last_pid >= 2 && !self.map.contains_key(&self.last_pid) {
                return Some(self.last_pid);
            }
        }
        None
    }

    pub fn get(&self, pid: Pid) -> Option<Arc<Process>> {
        self.map.get(&pid).cloned()
    }

    /// Processes other than init that have not been reaped.
    pub fn count(&self) -> usize {
        self.map.len().saturating_sub(1)
    }
}
