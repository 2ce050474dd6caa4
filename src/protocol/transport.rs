//! Which way requests reach the server: through its XFrame page (the documented path for pages
//! on another origin) or directly over CORS (off by default on stock servers). `data-transport`
//! picks one, or `auto`: the XFrame first, CORS when the frame cannot be used, and the reverse.
//! Pure: the client reports what happened, [`Choice`] says what to do next.

/// One way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    XFrame,
    Cors,
}

impl Transport {
    fn other(self) -> Transport {
        match self {
            Transport::XFrame => Transport::Cors,
            Transport::Cors => Transport::XFrame,
        }
    }
}

/// `data-transport`: `auto` (the default), `xframe` or `cors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preference {
    #[default]
    Auto,
    Only(Transport),
}

impl Preference {
    /// The attribute's value, ASCII case-insensitive; `None` for anything else.
    pub fn parse(text: &str) -> Option<Preference> {
        let is = |name: &str| text.eq_ignore_ascii_case(name);
        if is("auto") {
            Some(Preference::Auto)
        } else if is("xframe") {
            Some(Preference::Only(Transport::XFrame))
        } else if is("cors") {
            Some(Preference::Only(Transport::Cors))
        } else {
            None
        }
    }
}

/// How long a frame that has never answered gets to load and answer a request before it counts
/// as unusable (no XFrame page there, or it did not load). A frame that has answered is never
/// timed out here: the event channel's request is held for minutes.
pub const FRAME_ANSWER_TIMEOUT_MS: u32 = 5_000;

/// Why a transport could not carry a request at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// The page's Content-Security-Policy (`frame-src`) refused the frame.
    FrameBlocked,
    /// The frame did not answer within [`FRAME_ANSWER_TIMEOUT_MS`] of being asked.
    FrameSilent,
    /// fetch failed without a response: CORS refused, `connect-src`, or the server unreachable
    /// (a browser tells these apart for nobody).
    FetchFailed,
}

/// How a transport's promise failed (`xframe.js`, `cors.js`): it was aborted, or the transport
/// could not carry the request, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Aborted,
    Unusable(Unusable),
}

impl Refusal {
    /// The reason a transport's promise was rejected with: `aborted`, `timeout` (its deadline
    /// signal), `blocked`, `silent`, or
    /// `fetch: <the browser's error>`; anything else (a DOM exception posting to the frame)
    /// counts as a frame that cannot be used.
    pub fn from_reason(reason: &str) -> Refusal {
        match reason {
            "aborted" | "timeout" => Refusal::Aborted,
            "silent" => Refusal::Unusable(Unusable::FrameSilent),
            _ if reason.starts_with("fetch: ") => Refusal::Unusable(Unusable::FetchFailed),
            _ => Refusal::Unusable(Unusable::FrameBlocked),
        }
    }
}

impl Unusable {
    /// Whether the request certainly never reached the server (so sending it again is safe).
    fn undelivered(self) -> bool {
        // A frame that never answered is not a frame that performs requests.
        !matches!(self, Unusable::FetchFailed)
    }

    fn words(self) -> &'static str {
        match self {
            Unusable::FrameBlocked => {
                "this page's Content-Security-Policy (frame-src) blocks the server's XFrame"
            }
            Unusable::FrameSilent => "the server's XFrame page did not answer",
            Unusable::FetchFailed => "a direct (CORS) request failed",
        }
    }
}

/// What to do after a transport was unusable for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Send the same request again now, over this transport.
    Resend(Transport),
    /// Give the request up as a network failure; the next request goes over [`Choice::current`].
    Fail,
    /// Give it up: every transport allowed failed since the last answer (name the causes).
    FailBoth,
}

/// The transport in use and what has failed since the last answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    preference: Preference,
    current: Transport,
    /// Per transport (XFrame, CORS): unusable since the last answer over either.
    failed: [Option<Unusable>; 2],
    /// The transport the console was last told about.
    announced: Option<Transport>,
}

fn slot(t: Transport) -> usize {
    match t {
        Transport::XFrame => 0,
        Transport::Cors => 1,
    }
}

impl Choice {
    pub fn new(preference: Preference) -> Choice {
        let current = match preference {
            Preference::Only(t) => t,
            Preference::Auto => Transport::XFrame,
        };
        Choice {
            preference,
            current,
            failed: [None; 2],
            announced: None,
        }
    }

    /// The transport the next request goes over.
    pub fn current(&self) -> Transport {
        self.current
    }

    pub fn preference(&self) -> Preference {
        self.preference
    }

    /// A reply came over `t`. The first over a transport returns the console line that says
    /// which one is in use and why.
    pub fn on_answer(&mut self, t: Transport) -> Option<String> {
        let because = self.failed[slot(t.other())];
        self.failed = [None; 2];
        if self.announced == Some(t) {
            return None;
        }
        self.announced = Some(t);
        let mut line = String::from(match t {
            Transport::XFrame => "ucwa-presence: talking to the server through its XFrame (",
            Transport::Cors => "ucwa-presence: talking to the server directly over CORS (",
        });
        match (self.preference, because) {
            (Preference::Only(_), _) => line.push_str("data-transport asks for it"),
            (Preference::Auto, Some(why)) => {
                line.push_str("data-transport=auto: ");
                line.push_str(why.words());
            }
            (Preference::Auto, None) => line.push_str("data-transport=auto: it answered"),
        }
        line.push(')');
        Some(line)
    }

    /// `t` could not carry a request (`idempotent`: a GET, safe to send twice).
    pub fn on_unusable(&mut self, t: Transport, why: Unusable, idempotent: bool) -> Next {
        if self.preference != Preference::Auto {
            return Next::Fail;
        }
        self.failed[slot(t)] = Some(why);
        let other = t.other();
        if self.failed[slot(other)].is_some() {
            // Both failed: start over from the documented path on the next attempt.
            self.failed = [None; 2];
            self.current = Transport::XFrame;
            return Next::FailBoth;
        }
        self.current = other;
        if idempotent || why.undelivered() {
            Next::Resend(other)
        } else {
            Next::Fail
        }
    }
}

/// The end of the "cannot reach the server" sentence: what the page owner should check for the
/// transports `preference` allows.
pub fn unreachable_causes(preference: Preference) -> &'static str {
    match preference {
        Preference::Auto => "it may not allow this page's origin in its cross-domain authorization list (CrossDomainAuthorizationList), or this page's Content-Security-Policy blocks it (frame-src for its XFrame, connect-src for CORS).",
        Preference::Only(Transport::XFrame) => "it may not allow this page's origin in its cross-domain authorization list (CrossDomainAuthorizationList), or this page's Content-Security-Policy blocks its XFrame (frame-src).",
        Preference::Only(Transport::Cors) => "it may not allow this page's origin in its cross-domain authorization list (CrossDomainAuthorizationList), have CORS off, or this page's Content-Security-Policy blocks it (connect-src).",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Transport::{Cors, XFrame};
    use Unusable::{FetchFailed, FrameBlocked, FrameSilent};

    #[test]
    fn preference_values() {
        assert_eq!(Preference::parse("auto"), Some(Preference::Auto));
        assert_eq!(Preference::parse("XFrame"), Some(Preference::Only(XFrame)));
        assert_eq!(Preference::parse("CORS"), Some(Preference::Only(Cors)));
        for bad in ["", "fetch", "x-frame", "auto "] {
            assert_eq!(Preference::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Preference::default(), Preference::Auto);
    }

    #[test]
    fn auto_starts_with_the_xframe_and_says_so_once() {
        let mut choice = Choice::new(Preference::Auto);
        assert_eq!(choice.current(), XFrame);
        let line = choice.on_answer(XFrame).unwrap();
        assert!(line.contains("through its XFrame"), "{line}");
        assert!(line.contains("data-transport=auto"), "{line}");
        assert_eq!(choice.on_answer(XFrame), None);
    }

    #[test]
    fn auto_falls_back_to_cors_when_the_frame_is_blocked_or_silent() {
        for why in [FrameBlocked, FrameSilent] {
            let mut choice = Choice::new(Preference::Auto);
            // Even a POST: the frame never carried it.
            assert_eq!(choice.on_unusable(XFrame, why, false), Next::Resend(Cors));
            assert_eq!(choice.current(), Cors);
            let line = choice.on_answer(Cors).unwrap();
            assert!(line.contains("over CORS"), "{line}");
            assert!(line.contains(why.words()), "{line}");
            assert_eq!(choice.on_answer(Cors), None);
        }
        let mut choice = Choice::new(Preference::Auto);
        choice.on_unusable(XFrame, FrameBlocked, true);
        assert!(choice.on_answer(Cors).unwrap().contains("frame-src"));
    }

    #[test]
    fn and_the_reverse_resending_only_what_is_safe() {
        let mut choice = Choice::new(Preference::Auto);
        choice.on_unusable(XFrame, FrameSilent, true);
        choice.on_answer(Cors);
        // CORS worked, then fails: a GET goes through the frame at once...
        assert_eq!(
            choice.on_unusable(Cors, FetchFailed, true),
            Next::Resend(XFrame)
        );
        let line = choice.on_answer(XFrame).unwrap();
        assert!(line.contains("CORS) request failed"), "{line}");
        // ...a POST that fetch may have delivered is not sent twice, but the next request
        // takes the frame.
        let mut choice = Choice::new(Preference::Auto);
        choice.on_unusable(XFrame, FrameSilent, true);
        choice.on_answer(Cors);
        assert_eq!(choice.on_unusable(Cors, FetchFailed, false), Next::Fail);
        assert_eq!(choice.current(), XFrame);
    }

    #[test]
    fn both_failing_is_reported_and_starts_over_from_the_xframe() {
        let mut choice = Choice::new(Preference::Auto);
        assert_eq!(
            choice.on_unusable(XFrame, FrameBlocked, true),
            Next::Resend(Cors)
        );
        assert_eq!(choice.on_unusable(Cors, FetchFailed, true), Next::FailBoth);
        assert_eq!(choice.current(), XFrame);
        // The next attempt tries both again.
        assert_eq!(
            choice.on_unusable(XFrame, FrameBlocked, true),
            Next::Resend(Cors)
        );
        // An answer in between clears the record: one failure is not "both".
        choice.on_answer(Cors);
        assert_eq!(
            choice.on_unusable(Cors, FetchFailed, true),
            Next::Resend(XFrame)
        );
    }

    #[test]
    fn a_fixed_transport_never_switches() {
        for t in [XFrame, Cors] {
            let mut choice = Choice::new(Preference::Only(t));
            assert_eq!(choice.current(), t);
            for why in [FrameBlocked, FrameSilent, FetchFailed] {
                assert_eq!(choice.on_unusable(t, why, true), Next::Fail);
                assert_eq!(choice.current(), t);
            }
            let line = choice.on_answer(t).unwrap();
            assert!(line.contains("data-transport asks for it"), "{line}");
        }
    }

    #[test]
    fn the_causes_match_the_transports_allowed() {
        let auto = unreachable_causes(Preference::Auto);
        for word in ["CrossDomainAuthorizationList", "frame-src", "connect-src"] {
            assert!(auto.contains(word), "{word}");
        }
        let xframe = unreachable_causes(Preference::Only(XFrame));
        assert!(xframe.contains("frame-src") && !xframe.contains("connect-src"));
        let cors = unreachable_causes(Preference::Only(Cors));
        assert!(cors.contains("connect-src") && !cors.contains("frame-src"));
        assert!(cors.contains("CORS off"));
    }

    #[test]
    fn refusals_from_the_transports_reasons() {
        use Unusable::*;
        assert_eq!(Refusal::from_reason("aborted"), Refusal::Aborted);
        assert_eq!(Refusal::from_reason("timeout"), Refusal::Aborted);
        assert_eq!(
            Refusal::from_reason("silent"),
            Refusal::Unusable(FrameSilent)
        );
        assert_eq!(
            Refusal::from_reason("blocked"),
            Refusal::Unusable(FrameBlocked)
        );
        let fetch = "fetch: TypeError: Failed to fetch";
        assert_eq!(Refusal::from_reason(fetch), Refusal::Unusable(FetchFailed));
        // A DOM exception's text, or nothing: the frame cannot be used.
        assert_eq!(Refusal::from_reason(""), Refusal::Unusable(FrameBlocked));
        assert_eq!(
            Refusal::from_reason("fetch"),
            Refusal::Unusable(FrameBlocked)
        );
    }
}
