//! A session's event history: every `session/update` notification, numbered
//! from 1 in arrival order, kept for the life of the session, with live
//! subscribers.
//!
//! Unlike the reference ("live-only, no replay"), history is never dropped,
//! so a late subscriber can replay it and then continue live with no gap and
//! no duplicate: subscribing and replaying happen under the same delivery
//! lock that appending and delivering hold.
//!
//! Lock order: `deliver` (reentrant, so a handler may subscribe or read the
//! history) before `state` (a leaf, never held while calling a handler).

use std::sync::Arc;

use parking_lot::{Mutex, ReentrantMutex};
use serde_json::Value;

/// One `session/update` notification and its place in the session's
/// history.
#[derive(Clone, Debug, PartialEq)]
pub struct SequencedEvent {
    /// Sequence number: 1 for the session's first event, then +1 each.
    pub seq: u64,
    /// The whole JSON-RPC notification (`{"jsonrpc", "method":
    /// "session/update", "params": {"sessionId", "update"}}`).
    pub notification: Value,
}

/// Receives a session's events, in order.
pub type SessionEventHandler = Arc<dyn Fn(&SequencedEvent) + Send + Sync>;

#[derive(Default)]
struct State {
    events: Vec<SequencedEvent>,
    handlers: Vec<(u64, SessionEventHandler)>,
    next_handler: u64,
}

#[derive(Default)]
pub(crate) struct EventLog {
    deliver: ReentrantMutex<()>,
    state: Mutex<State>,
}

impl EventLog {
    /// Append a notification and deliver it to every subscriber.
    pub(crate) fn push(&self, notification: Value) {
        let _order = self.deliver.lock();
        let (event, handlers) = {
            let mut st = self.state.lock();
            let event = SequencedEvent { seq: st.events.len() as u64 + 1, notification };
            st.events.push(event.clone());
            (event, st.handlers.iter().map(|(_, h)| h.clone()).collect::<Vec<_>>())
        };
        for h in handlers {
            h(&event);
        }
    }

    /// Events with a sequence number above `since`.
    pub(crate) fn since(&self, since: u64) -> Vec<SequencedEvent> {
        let st = self.state.lock();
        st.events.iter().skip(since.min(st.events.len() as u64) as usize).cloned().collect()
    }

    /// Subscribe; with `history`, first deliver the events after that
    /// sequence number. Returns the subscription's id.
    pub(crate) fn subscribe(&self, handler: SessionEventHandler, history: Option<u64>) -> u64 {
        let _order = self.deliver.lock();
        let (id, past) = {
            let mut st = self.state.lock();
            st.next_handler += 1;
            let id = st.next_handler;
            st.handlers.push((id, handler.clone()));
            let past: Vec<_> = match history {
                Some(since) => st.events.iter().skip(since.min(st.events.len() as u64) as usize).cloned().collect(),
                None => Vec::new(),
            };
            (id, past)
        };
        for e in &past {
            handler(e);
        }
        id
    }

    pub(crate) fn unsubscribe(&self, id: u64) {
        self.state.lock().handlers.retain(|(i, _)| *i != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn history_then_live_with_no_gap_or_duplicate() {
        let log = Arc::new(EventLog::default());
        for i in 0..3 {
            log.push(json!(i));
        }
        let got = Arc::new(Mutex::new(Vec::new()));
        let (g, l) = (got.clone(), log.clone());
        // A handler that pushes nothing but subscribes again from inside:
        // the reentrant delivery lock allows it.
        let id = log.subscribe(
            Arc::new(move |e: &SequencedEvent| {
                g.lock().push(e.seq);
                if e.seq == 4 {
                    l.subscribe(Arc::new(|_: &SequencedEvent| {}), None);
                }
            }),
            Some(1),
        );
        assert_eq!(*got.lock(), [2, 3]);
        log.push(json!(3));
        log.unsubscribe(id);
        log.push(json!(4));
        assert_eq!(*got.lock(), [2, 3, 4]);
        assert_eq!(log.since(3).iter().map(|e| e.notification.clone()).collect::<Vec<_>>(), [json!(3), json!(4)]);
        assert_eq!(log.since(10), []);
    }
}
