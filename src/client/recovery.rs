//! What a session of either backend shares about recovering from failures: the browser's
//! `online` / `offline` and the window listeners it adds, the pause between attempts that
//! `online` (or `stop`) ends early, presence shown as last known, and giving up.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::session::Outcome;
use super::store::{Connection, Store};
use super::timer::jitter;
use crate::protocol::failure::{Action, Backoff, OFFLINE_RECHECK_MS, PROBE_CAP_MS};

/// A window event listener a session added (event name, callback), to remove on `stop`.
pub(crate) type Listener = (&'static str, Closure<dyn Fn()>);

/// What the status line says while offline.
pub(crate) const OFFLINE: &str = "Offline: presence shown may be out of date.";

#[derive(Default)]
pub(crate) struct Network {
    /// The browser said `offline` and has not said `online` since.
    offline: Cell<bool>,
    /// Ends the current pause early (`online`, `stop`).
    wake: RefCell<Option<futures_channel::oneshot::Sender<()>>>,
    /// `online` came while no pause was pending (the failure it ends was still being handled):
    /// the next pause is skipped.
    skip_pause: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
}

impl Network {
    pub fn is_offline(&self) -> bool {
        self.offline.get()
    }

    /// Adds `on(online)` for the window's `offline` and `online` events, and the `extra`
    /// listeners (once: a second call while listening does nothing).
    pub fn listen(&self, on: impl Fn(bool) + Clone + 'static, extra: Vec<Listener>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut listeners = self.listeners.borrow_mut();
        if !listeners.is_empty() {
            return;
        }
        self.offline.set(!window.navigator().on_line());
        for (name, online) in [("offline", false), ("online", true)] {
            let on = on.clone();
            listeners.push((name, Closure::new(move || on(online))));
        }
        listeners.extend(extra);
        for (name, listener) in listeners.iter() {
            let _ =
                window.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
    }

    /// Removes every listener `listen` added.
    pub fn unlisten(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        for (name, listener) in self.listeners.borrow_mut().drain(..) {
            let _ =
                window.remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
    }

    /// How long to wait before the connection's next attempt: the backoff delay capped at
    /// [`PROBE_CAP_MS`] (or `asked_ms`, the server's `Retry-After` or 0, when longer), or while
    /// offline until the browser is online again (at most [`OFFLINE_RECHECK_MS`]).
    pub fn pause_ms(&self, action: &Action, backoff: &Backoff, asked_ms: u32) -> u32 {
        if matches!(action, Action::WaitForNetwork) || self.offline.get() {
            OFFLINE_RECHECK_MS
        } else {
            backoff.delay_within(PROBE_CAP_MS, jitter()).max(asked_ms)
        }
    }

    /// What ends the next wait early ([`wake_up`](Self::wake_up)); `None`: skip the wait,
    /// `online` came meanwhile. (Not an `async fn`: the caller's own future holds the wait.)
    pub fn wait_signal(&self) -> Option<futures_channel::oneshot::Receiver<()>> {
        if self.skip_pause.take() {
            return None;
        }
        let (tx, rx) = futures_channel::oneshot::channel();
        self.wake.replace(Some(tx));
        Some(rx)
    }

    /// Ends a pending wait; false when none was pending.
    pub fn wake_up(&self) -> bool {
        match self.wake.borrow_mut().take() {
            Some(tx) => tx.send(()).is_ok(),
            None => false,
        }
    }

    /// `offline`: presence is stale at once (true: the caller ends its pending request).
    /// `online`: the next attempt goes now, not after the rest of the backoff delay.
    pub fn on_change(&self, online: bool, store: &Store) -> bool {
        self.offline.set(!online);
        let live = store.connection.with_untracked(|c| *c == Connection::Live);
        if online {
            if !self.wake_up() && !live {
                self.skip_pause.set(true);
            }
            return false;
        }
        let reconnecting = store
            .connection
            .with_untracked(|c| matches!(c, Connection::Reconnecting { .. }));
        if live || reconnecting {
            show_reconnecting(store, OFFLINE);
        }
        true
    }
}

/// What the status line says while presence is not live.
pub(crate) const STALE: &str = "Reconnecting… presence shown may be out of date.";

/// Stops trying and tells the user why (in the status element and the console).
pub(crate) fn give_up(store: &Store, reason: String) {
    web_sys::console::error_1(&format!("ucwa-presence: {reason}").into());
    store.set_connection(Connection::Stopped { reason });
}

/// "Try again": whether a session that gave up (and was not stopped) may start again; it
/// shows itself connecting when so.
pub(crate) fn may_try_again(stopped: bool, store: &Store) -> bool {
    let gave_up = store
        .connection
        .with_untracked(|c| matches!(c, Connection::Stopped { .. }));
    if !stopped && gave_up {
        store.set_connection(Connection::Connecting);
    }
    !stopped && gave_up
}

/// Presence shown is last known from now on (the page enters the back/forward cache): the
/// status line says so, unless it already says why.
pub(crate) fn show_stale_if_live(store: &Store) {
    if store.connection.with_untracked(|c| *c == Connection::Live) {
        show_stale(store);
    }
}

/// The status line says presence shown may be out of date.
fn show_stale(store: &Store) {
    show_reconnecting(store, STALE);
}

/// Presence shown is last known, for `reason`.
fn show_reconnecting(store: &Store, reason: &str) {
    store.set_connection(Connection::Reconnecting {
        reason: reason.into(),
    });
}

impl Network {
    /// A request of the connection failed: presence shown is last known (offline says so
    /// already). `Err`: what `action` makes of the loop instead (a new application or session,
    /// or the end).
    pub fn after_failure(&self, action: &Action, store: &Store) -> Result<(), Outcome> {
        match action {
            Action::RecreateApplication => return Err(Outcome::RecreateApplication),
            Action::Stop(reason) | Action::GiveUp(reason) => {
                return Err(Outcome::Stop(reason.message()))
            }
            _ => {}
        }
        if !self.is_offline() {
            show_stale(store);
        }
        Ok(())
    }
}
