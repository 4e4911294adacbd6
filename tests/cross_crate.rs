//! Twins defined in another crate (`tests/downstream`) and called here: `#[inline]` twins are
//! compiled only in the calling crate, together with the other crate's futures.

use sync_facade_downstream_fixture::{blocking_add_later, blocking_first_word, Counter};

fn calls() {
    assert_eq!(blocking_add_later(2, 3).unwrap(), 5);
    assert_eq!(blocking_first_word("hello world").unwrap(), "hello");
    assert_eq!(blocking_first_word("  ").unwrap_err().to_string(), "no words");
    let mut counter = Counter(0);
    assert_eq!(counter.blocking_bump().unwrap(), 1);
    assert_eq!(counter.blocking_bump().unwrap(), 2);
}

#[test]
fn from_a_plain_thread() {
    calls();
}

#[tokio::test]
async fn from_a_current_thread_runtime() {
    calls();
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_multi_thread_runtime() {
    calls();
}
