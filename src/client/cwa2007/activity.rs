//! Whether the user is using the page: the data channel's `UA=true` (active since the last
//! poll), and the machine state published every 5 minutes while the page is used, so the user
//! is not shown idle (bb969515: "on a 5-minute timer").

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;

use super::super::recovery::Listener;
use super::super::timer::sleep;
use super::Session;
use crate::protocol::cwa2007::failure::CwaStep;
use crate::protocol::cwa2007::requests::{Request, INITIAL_AVAILABILITY};

/// The machine state's timer.
pub(crate) const MACHINE_STATE_EVERY_MS: u32 = 300_000;

/// The page events that count as the user using it.
const INPUT_EVENTS: [&str; 4] = ["keydown", "pointerdown", "pointermove", "wheel"];

#[derive(Default)]
pub(crate) struct Activity {
    since_poll: Cell<bool>,
    since_machine_state: Cell<bool>,
}

impl Activity {
    /// The user did something on the page.
    fn saw_input(&self) {
        self.since_poll.set(true);
        self.since_machine_state.set(true);
    }

    /// `UA` for the next poll: input since the last one.
    pub fn take_for_poll(&self) -> bool {
        self.since_poll.replace(false)
    }

    /// Whether the page is in use for the machine state: input since the last one, or the page
    /// visible and focused.
    fn take_for_machine_state(&self) -> bool {
        let input = self.since_machine_state.replace(false);
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| {
                d.visibility_state() == web_sys::VisibilityState::Visible
                    && d.has_focus().unwrap_or(false)
            });
        input || focused
    }

    /// One listener per input event, for the session to add to the window.
    pub fn listeners(&self, session: &Rc<Session>) -> Vec<Listener> {
        INPUT_EVENTS
            .into_iter()
            .map(|name| {
                let weak = Rc::downgrade(session);
                let listener: Closure<dyn Fn()> = Closure::new(move || {
                    if let Some(session) = weak.upgrade() {
                        session.activity.saw_input();
                    }
                });
                (name, listener)
            })
            .collect()
    }
}

impl Session {
    /// Publishes the machine state (online) every 5 minutes while the page is used, for as
    /// long as this CWA session lasts.
    pub(crate) fn spawn_machine_state_timer(self: &Rc<Self>) {
        let this = Rc::clone(self);
        let generation = self.generation.get();
        spawn_local(async move {
            loop {
                sleep(MACHINE_STATE_EVERY_MS).await;
                if !this.is_current(generation) {
                    return;
                }
                if this.activity.take_for_machine_state() {
                    let machine = Request::PublishMachineState {
                        availability: INITIAL_AVAILABILITY,
                        location: None,
                    };
                    // A failure is the session's business (a lost session starts a new one).
                    this.command(CwaStep::Publish, machine, generation).await;
                }
            }
        });
    }
}
