//! Periodic work: token, application and subscription expiry, idle presence. The server runs
//! [`Inner::tick`] every [`Inner::tick_interval`].

use std::time::{Duration, Instant};

use super::Inner;

impl Inner {
    pub fn tick(&mut self, now: Instant) {
        self.tokens.expire(now);
        self.expire_idle_applications(now);
        self.expire_subscriptions(now);
        self.recompute_available_users(now);
        self.cwa_tick(now);
    }

    /// The shortest time until something in `tick` may be due (bounded for responsiveness).
    pub fn tick_interval(&self) -> Duration {
        let lead = self.cfg.subscription_lead();
        let base = (self.cfg.minute / 4)
            .min(lead.max(Duration::from_millis(50)))
            .min(self.cfg.idle_after / 4);
        base.clamp(Duration::from_millis(50), Duration::from_secs(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::Availability;
    use crate::state::testing::{app_of, inner, secs, t0, DANA, SARA};

    #[test]
    fn the_interval_follows_the_shortest_timing_within_bounds() {
        let t0 = t0();
        let mut g = inner(t0);
        assert_eq!(g.tick_interval(), secs(1), "defaults: at most a second");
        g.cfg.minute = Duration::from_millis(400);
        assert_eq!(g.tick_interval(), Duration::from_millis(100));
        g.cfg.minute = Duration::from_millis(1);
        assert_eq!(
            g.tick_interval(),
            Duration::from_millis(50),
            "at least 50 ms"
        );
    }

    #[test]
    fn one_tick_expires_everything_due() {
        let t0 = t0();
        let mut g = inner(t0);
        let late = t0 + g.cfg.app_idle_timeout.max(g.cfg.token_lifetime);
        g.tokens.issue(DANA, "A", t0).unwrap();
        let dana = app_of(&mut g, DANA, t0);
        g.make_me_available(dana, None, t0).unwrap();
        let sara = app_of(&mut g, SARA, t0);
        g.create_subscription(sara, vec![DANA.into()], 10, None, t0)
            .unwrap();
        g.tick(t0 + secs(1));
        assert_eq!((g.tokens.len(), g.apps.len(), g.subs.len()), (1, 2, 1));
        g.tick(late);
        assert_eq!((g.tokens.len(), g.apps.len(), g.subs.len()), (0, 0, 0));
        assert_eq!(g.published(DANA).availability, Availability::Offline);
    }

    #[test]
    fn ticks_move_an_available_user_to_idle() {
        let t0 = t0();
        let mut g = inner(t0);
        let idle_after = g.cfg.idle_after;
        let dana = app_of(&mut g, DANA, t0);
        g.make_me_available(dana, None, t0).unwrap();
        // The application stays alive (a request just before), only presence ages.
        g.app_mut(dana, DANA, t0 + idle_after).unwrap();
        g.tick(t0 + idle_after);
        assert_eq!(g.published(DANA).availability, Availability::IdleOnline);
    }
}
