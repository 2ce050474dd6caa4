use crate::protocol::cwa2007::*;
use crate::protocol::url::query_param;

fn page(ack_id: Option<u64>, poll_wait_ms: Option<u32>, eids: &[Option<u64>]) -> EventPage {
    EventPage {
        ack_id,
        poll_wait_ms,
        events: eids
            .iter()
            .map(|eid| Event::RequestSucceeded {
                eid: *eid,
                rid: None,
            })
            .collect(),
        ..EventPage::default()
    }
}

fn eids(events: &[Event]) -> Vec<Option<u64>> {
    events.iter().map(Event::eid).collect()
}

#[test]
fn a_new_channel_starts_at_ack_zero_and_rid_two() {
    let mut channel = DataChannel::new("42".into(), Some(1500));
    assert_eq!(channel.sid(), "42");
    assert_eq!(channel.ack_id(), 0);
    assert_eq!(channel.poll_wait_ms(), 1500);
    let rids: Vec<u32> = (0..4).map(|_| channel.next_rid()).collect();
    assert_eq!(rids, vec![2, 3, 4, 5]);
    assert_eq!(
        DataChannel::new("1".into(), None).poll_wait_ms(),
        DataChannel::DEFAULT_POLL_WAIT_MS
    );
}

#[test]
fn events_at_or_below_the_ack_id_are_a_re_delivery_and_dropped() {
    let mut channel = DataChannel::new("42".into(), None);
    let first = channel.accept(page(Some(3), None, &[Some(1), Some(2), Some(3)]));
    assert_eq!(eids(&first), vec![Some(1), Some(2), Some(3)]);
    assert_eq!(channel.ack_id(), 3);
    // The server re-delivers 2 and 3 (the client's ack got lost) with a new 4.
    let again = channel.accept(page(Some(4), None, &[Some(2), Some(3), Some(4)]));
    assert_eq!(eids(&again), vec![Some(4)]);
    assert_eq!(channel.ack_id(), 4);
    // Events without an eid always pass; the ack never goes down.
    let lower = channel.accept(page(Some(1), None, &[None, Some(1)]));
    assert_eq!(eids(&lower), vec![None]);
    assert_eq!(channel.ack_id(), 4);
    // No ackId in the envelope: the highest eid counts.
    let unacked = channel.accept(page(None, None, &[Some(6), Some(5)]));
    assert_eq!(eids(&unacked), vec![Some(6), Some(5)]);
    assert_eq!(channel.ack_id(), 6);
    // An empty page with a higher ackId moves it on.
    assert!(channel.accept(page(Some(9), None, &[])).is_empty());
    assert_eq!(channel.ack_id(), 9);
}

#[test]
fn poll_wait_time_is_clamped_and_kept_when_absent() {
    let (low, high) = DataChannel::POLL_WAIT_RANGE_MS;
    let mut channel = DataChannel::new("1".into(), Some(0));
    assert_eq!(channel.poll_wait_ms(), low);
    channel.accept(page(None, Some(u32::MAX), &[]));
    assert_eq!(channel.poll_wait_ms(), high);
    channel.accept(page(None, Some(2500), &[]));
    assert_eq!(channel.poll_wait_ms(), 2500);
    channel.accept(page(None, None, &[]));
    assert_eq!(channel.poll_wait_ms(), 2500);
    channel.accept(page(None, Some(low - 1), &[]));
    assert_eq!(channel.poll_wait_ms(), low);
}

#[test]
fn poll_url_encodes_the_sid_and_carries_ack_and_activity() {
    let mut channel = DataChannel::new("a b&c=d/é".into(), None);
    channel.accept(page(Some(17), None, &[]));
    let url = channel.poll_url("https://cwa.contoso.com/", true);
    assert_eq!(
        url,
        "https://cwa.contoso.com/cwa/AsyncDataChannel.ashx?Sid=a%20b%26c%3Dd%2F%C3%A9&AckId=17&UA=true"
    );
    assert_eq!(query_param(&url, "Sid"), Some("a b&c=d/é".to_string()));
    let idle = DataChannel::new("42".into(), None).poll_url("http://127.0.0.1:18090", false);
    assert_eq!(
        idle,
        "http://127.0.0.1:18090/cwa/AsyncDataChannel.ashx?Sid=42&AckId=0&UA=false"
    );
}

#[test]
fn a_parsed_page_feeds_the_channel() {
    let xml = r#"<cwaEvents sid="42" pollWaitTime="800" ackId="8"><requestSucceeded eid="7" rid="3"/><requestSucceeded eid="8" rid="4"/></cwaEvents>"#;
    let mut channel = DataChannel::new("42".into(), None);
    channel.accept(page(Some(7), None, &[Some(7)]));
    let fresh = channel.accept(parse_events(xml).unwrap());
    assert_eq!(
        fresh,
        vec![Event::RequestSucceeded {
            eid: Some(8),
            rid: Some(4)
        }]
    );
    assert_eq!((channel.ack_id(), channel.poll_wait_ms()), (8, 800));
}
