//! Which reads go out next, and in how large a batch (BatchingRequests, "Limitations"): the
//! server allows a user at most 100 outstanding requests across all batches, refusing a batch
//! that would exceed it with 429 (nothing in it ran): the client then splits it and tries again
//! later. Reads wait here by priority (a badge's presence and name before the note, the note
//! before the location), so the first batches make the page's badges known.

/// The documented limit: outstanding requests per user, and so parts per batch.
pub const MAX_OUTSTANDING: usize = 100;

/// Reads waiting, lowest priority number first (first come first within one), and how many are
/// in flight.
#[derive(Debug)]
pub struct BatchQueue<T> {
    waiting: Vec<(u8, T)>,
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
    /// Queues `item` behind every waiting item of the same or a more urgent `priority`, unless
    /// a waiting one is `same` (it will read the newest value anyway).
    pub fn push(&mut self, priority: u8, item: T, same: impl Fn(&T) -> bool) {
        if self.waiting.iter().any(|(_, w)| same(w)) {
            return;
        }
        let at = self.waiting.partition_point(|(p, _)| *p <= priority);
        self.waiting.insert(at, (priority, item));
    }

    /// The next reads to send together (most urgent first), as many as the part limit and the
    /// room left under [`MAX_OUTSTANDING`] allow; `None` when nothing waits or no room is left.
    /// They count as in flight until [`done`](Self::done) or [`refused`](Self::refused).
    pub fn next_batch(&mut self) -> Option<Vec<(u8, T)>> {
        let room = MAX_OUTSTANDING.saturating_sub(self.in_flight);
        let n = self.part_limit.min(room).min(self.waiting.len());
        if n == 0 {
            return None;
        }
        self.in_flight += n;
        Some(self.waiting.drain(..n).collect())
    }

    /// `n` reads sent by [`next_batch`](Self::next_batch) were answered (or given up).
    pub fn done(&mut self, n: usize) {
        self.in_flight = self.in_flight.saturating_sub(n);
    }

    /// The server refused a batch with 429: its reads wait again, ahead of others of their
    /// priority, and later batches are half its size (at least one part).
    pub fn refused(&mut self, batch: Vec<(u8, T)>) {
        self.done(batch.len());
        self.part_limit = (batch.len() / 2).max(1);
        for (priority, item) in batch.into_iter().rev() {
            let at = self.waiting.partition_point(|(p, _)| *p < priority);
            self.waiting.insert(at, (priority, item));
        }
    }

    /// Drops the waiting reads `stale` says are no longer wanted (an older application's).
    pub fn retain(&mut self, keep: impl Fn(&T) -> bool) {
        self.waiting.retain(|(_, item)| keep(item));
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

    fn items(batch: Option<Vec<(u8, u32)>>) -> Vec<u32> {
        batch.unwrap_or_default().into_iter().map(|(_, i)| i).collect()
    }

    fn queue_of(n: u32, priority: u8) -> BatchQueue<u32> {
        let mut q = BatchQueue::default();
        for i in 0..n {
            q.push(priority, i, |w| *w == i);
        }
        q
    }

    #[test]
    fn batches_hold_at_most_the_limit_and_never_more_outstanding() {
        let mut q = queue_of(250, 0);
        assert_eq!(items(q.next_batch()), (0..100).collect::<Vec<_>>());
        assert!(q.next_batch().is_none(), "100 in flight: no room");
        q.done(40);
        assert_eq!(items(q.next_batch()).len(), 40, "only the room freed");
        q.done(100);
        assert_eq!(items(q.next_batch()), (140..240).collect::<Vec<_>>());
        q.done(100);
        assert_eq!(items(q.next_batch()).len(), 10);
        assert!(q.next_batch().is_none());
        assert_eq!(q.waiting(), 0);
    }

    #[test]
    fn urgent_reads_go_first_and_duplicates_wait_once() {
        let mut q = BatchQueue::default();
        q.push(2, 10, |w| *w == 10);
        q.push(1, 20, |w| *w == 20);
        q.push(0, 30, |w| *w == 30);
        q.push(1, 21, |w| *w == 21);
        q.push(0, 30, |w| *w == 30);
        assert_eq!(items(q.next_batch()), vec![30, 20, 21, 10]);
        q.push(0, 30, |w| *w == 30);
        assert_eq!(q.waiting(), 1, "a read in flight does not stand for a newer one");
    }

    #[test]
    fn a_refused_batch_is_split_and_sent_again_first() {
        let mut q = queue_of(150, 1);
        q.push(0, 999, |w| *w == 999);
        let first = q.next_batch().expect("a batch");
        assert_eq!(first.len(), 100);
        assert_eq!(first[0].1, 999);
        q.refused(first);
        assert_eq!(q.part_limit(), 50);
        let again = items(q.next_batch());
        assert_eq!(again.len(), 50);
        assert_eq!(&again[..3], &[999, 0, 1], "in their old order, ahead of the rest");
        q.refused(vec![(0, 1), (0, 2)]);
        q.refused(vec![(0, 3)]);
        assert_eq!(q.part_limit(), 1, "never below one part");
    }

    #[test]
    fn stale_reads_are_dropped() {
        let mut q = queue_of(10, 0);
        q.retain(|i| i % 2 == 0);
        assert_eq!(items(q.next_batch()), vec![0, 2, 4, 6, 8]);
    }
}
