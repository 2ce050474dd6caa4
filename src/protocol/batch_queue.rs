//! Which reads go out next, and in how large a batch (BatchingRequests, "Limitations"): the
//! server allows a user at most 100 outstanding requests across all batches, refusing a batch
//! that would exceed it with 429 (nothing in it ran): the client then splits it and tries again
//! later. Reads wait here in the order they were asked for; the event pages' reads (presences,
//! contacts' names) come before the notes and locations those contacts' answers link to.

/// The documented limit: outstanding requests per user, and so parts per batch.
pub const MAX_OUTSTANDING: usize = 100;

/// Reads waiting, first come first, and how many are in flight.
#[derive(Debug)]
pub struct BatchQueue<T> {
    waiting: Vec<T>,
    in_flight: usize,
    /// Parts per batch: [`MAX_OUTSTANDING`], halved after each 429.
    part_limit: usize,
}

impl<T> Default for BatchQueue<T> {
    fn default() -> Self {
        BatchQueue {
            waiting: Vec::new(),
            in_flight: 0,
            part_limit: MAX_OUTSTANDING,
        }
    }
}

impl<T> BatchQueue<T> {
    /// Queues `item`, unless a waiting one is `same` (it will read the newest value anyway).
    pub fn push(&mut self, item: T, same: impl Fn(&T) -> bool) {
        if !self.waiting.iter().any(same) {
            self.waiting.push(item);
        }
    }

    /// The next reads to send together, as many as the part limit and the room left under
    /// [`MAX_OUTSTANDING`] allow; `None` when nothing waits or no room is left, and while reads
    /// are in flight for a batch that would not be full (their answers bring more reads: they
    /// go together, in fewer requests). They count as in flight until [`done`](Self::done) or
    /// [`refused`](Self::refused).
    pub fn next_batch(&mut self) -> Option<Vec<T>> {
        let room = MAX_OUTSTANDING.saturating_sub(self.in_flight);
        let n = self.part_limit.min(room).min(self.waiting.len());
        if n == 0 || (self.in_flight > 0 && n < self.part_limit) {
            return None;
        }
        self.in_flight += n;
        Some(self.waiting.drain(..n).collect())
    }

    /// `n` reads sent by [`next_batch`](Self::next_batch) were answered (or given up).
    pub fn done(&mut self, n: usize) {
        self.in_flight = self.in_flight.saturating_sub(n);
    }

    /// The server refused a batch with 429: its reads wait again, first, and later batches are
    /// half its size (at least one part).
    pub fn refused(&mut self, batch: Vec<T>) {
        self.done(batch.len());
        self.part_limit = (batch.len() / 2).max(1);
        self.waiting.splice(0..0, batch);
    }

    /// Forgets the waiting reads (they were for an application that is gone).
    pub fn clear(&mut self) {
        self.waiting.clear();
    }

    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    pub fn part_limit(&self) -> usize {
        self.part_limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue_of(n: u32) -> BatchQueue<u32> {
        let mut q = BatchQueue::default();
        for i in 0..n {
            q.push(i, |w| *w == i);
        }
        q
    }

    #[test]
    fn batches_hold_at_most_the_limit_and_never_more_outstanding() {
        let mut q = queue_of(250);
        assert_eq!(q.next_batch(), Some((0..100).collect()));
        assert_eq!(q.next_batch(), None, "100 in flight: no room");
        q.done(40);
        assert_eq!(q.next_batch(), None, "room for 40 only: not a full batch");
        q.done(60);
        assert_eq!(q.next_batch(), Some((100..200).collect()));
        assert_eq!(
            q.next_batch(),
            None,
            "50 wait: a partial batch waits for the answer"
        );
        q.done(100);
        assert_eq!(
            q.next_batch(),
            Some((200..250).collect()),
            "nothing in flight: all"
        );
        assert_eq!(q.next_batch(), None);
        assert_eq!(q.waiting(), 0);
    }

    #[test]
    fn a_read_already_waiting_waits_once() {
        let mut q = queue_of(3);
        q.push(1, |w| *w == 1);
        assert_eq!(q.next_batch(), Some(vec![0, 1, 2]));
        q.push(1, |w| *w == 1);
        assert_eq!(
            q.waiting(),
            1,
            "a read in flight does not stand for a newer one"
        );
    }

    #[test]
    fn a_refused_batch_is_split_and_sent_again_first() {
        let mut q = queue_of(150);
        let first = q.next_batch().expect("a batch");
        assert_eq!(first.len(), 100);
        q.refused(first);
        assert_eq!(q.part_limit(), 50);
        assert_eq!(
            q.next_batch(),
            Some((0..50).collect()),
            "in their old order, first"
        );
        assert_eq!(q.next_batch(), Some((50..100).collect()));
        q.refused(vec![1, 2]);
        q.refused(vec![3]);
        assert_eq!(q.part_limit(), 1, "never below one part");
    }

    #[test]
    fn clear_forgets_what_waits() {
        let mut q = queue_of(10);
        q.clear();
        assert_eq!(q.next_batch(), None);
    }
}
