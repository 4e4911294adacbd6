//! Streams as blocking iterators: [`BlockingStream`] and [`LocalBlockingStream`].

use crate::held::Held;
use crate::{Call, Error};
use futures_core::Stream;
use std::future::poll_fn;
use std::iter::FusedIterator;
use std::pin::Pin;
use std::task::Poll;

/// Where an iterator stands between calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// More items may come.
    Live,
    /// The stream ended, an error was returned, or a call panicked: `next` returns `None`.
    Done,
}

macro_rules! blocking_stream {
    (
        $(#[$doc:meta])*
        $name:ident, $run:ident, [$($bound:tt)*]
    ) => {
        $(#[$doc])*
        pub struct $name<S: Stream> {
            stream: Held<S>,
            call: Call,
            state: State,
        }

        impl<S: Stream> $name<S> {
            /// Wraps `stream`; every `next()` is one call with `call`'s options (its timeout
            /// applies to each item, not to the whole walk).
            pub fn new(call: Call, stream: S) -> Self {
                $name { stream: Held::new(stream), call, state: State::Live }
            }

            /// The options each `next()` runs with.
            pub fn call(&self) -> &Call {
                &self.call
            }

            /// Takes the stream back: `None` if it already ran to its end (it was dropped in the
            /// call that saw the end). A stream whose item timed out is intact and can be resumed
            /// (cancelling a call drops only the call's borrow of the stream).
            pub fn into_inner(mut self) -> Option<Pin<Box<S>>> {
                self.stream.take()
            }
        }

        impl<S> Iterator for $name<S>
        where
            S: Stream $($bound)*,
        {
            type Item = Result<S::Item, Error>;

            fn next(&mut self) -> Option<Self::Item> {
                if self.state == State::Done {
                    return None;
                }
                // Done until the call returns an item: a panic leaves the iterator finished.
                self.state = State::Done;
                let slot = &mut self.stream.0;
                let next = poll_fn(move |cx| match slot.as_mut() {
                    None => Poll::Ready(None),
                    Some(stream) => match stream.as_mut().poll_next(cx) {
                        Poll::Ready(None) => {
                            // The end: drop the stream here, where it ran.
                            *slot = None;
                            Poll::Ready(None)
                        }
                        other => other,
                    },
                });
                match self.call.$run(next) {
                    Ok(Some(item)) => {
                        self.state = State::Live;
                        Some(Ok(item))
                    }
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                }
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                match (&self.stream.0, self.state) {
                    (Some(stream), State::Live) => {
                        // An error may end the walk early, or come after the last item.
                        (0, stream.size_hint().1.and_then(|n| n.checked_add(1)))
                    }
                    _ => (0, Some(0)),
                }
            }
        }

        impl<S> FusedIterator for $name<S> where S: Stream $($bound)* {}

        impl<S: Stream> std::fmt::Debug for $name<S> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("call", &self.call)
                    .field("finished", &(self.state == State::Done))
                    .finish_non_exhaustive()
            }
        }
    };
}

blocking_stream! {
    /// A [`Stream`] walked from sync code: an [`Iterator`] of `Result<S::Item, Error>`, usable in
    /// every calling context.
    ///
    /// Each `next()` is one facade call ([`Call::block_on`]): the context is detected per item,
    /// the strategy chosen as for any call (polled on the caller's thread, in place on a
    /// multi_thread runtime, or hosted), the call's timeout applies to each item, and a panic in
    /// the stream is re-raised on the caller's thread. Between items the stream stays inside the
    /// iterator; a hosted item moves only a borrow of it to a hosting thread, hence `S: Send`.
    ///
    /// The first error (a timeout, [`ErrorKind::HostShutdown`](crate::ErrorKind::HostShutdown),
    /// ...) is returned once and ends the iteration, as does a panic. After a timeout the stream
    /// itself is intact: [`into_inner`](Self::into_inner) gives it back.
    ///
    /// Dropping the iterator never blocks, in async code or anywhere: a stream that ran to its end
    /// was already dropped inside the call that saw the end (on the thread that polled it); a
    /// stream dropped mid-way is dropped on the dropping thread with the runtime it is polled in
    /// entered (the caller's multi_thread runtime, or the facade host's), so a destructor that
    /// spawns still finds that runtime.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sync_facade_runtime::{BlockingStream, Call};
    ///
    /// fn numbers() -> impl futures_core::Stream<Item = u32> + Send {
    ///     let (tx, rx) = tokio::sync::mpsc::channel(4);
    ///     tokio::spawn(async move {
    ///         for i in 1..=5 {
    ///             tx.send(i).await.unwrap();
    ///         }
    ///     });
    ///     tokio_stream::wrappers::ReceiverStream::new(rx)
    /// }
    ///
    /// let call = Call::new("numbers").timeout(Duration::from_secs(5));
    /// // Build the stream where a runtime is entered (here: inside the first call).
    /// let stream = call.block_on(async { numbers() }).unwrap();
    /// let all: Result<Vec<u32>, _> = BlockingStream::new(call, stream).collect();
    /// assert_eq!(all.unwrap(), [1, 2, 3, 4, 5]);
    ///
    /// // The same from a thread that drives a current_thread runtime (items are hosted).
    /// let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// rt.block_on(async {
    ///     let stream = call.block_on(async { numbers() }).unwrap();
    ///     let mut rows = BlockingStream::new(call, stream);
    ///     assert_eq!(rows.next().unwrap().unwrap(), 1);
    ///     drop(rows); // mid-stream: does not block
    /// });
    /// ```
    BlockingStream, block_on, [+ Send, S::Item: Send]
}

blocking_stream! {
    /// A [`Stream`] that need not be `Send`, walked from sync code: like [`BlockingStream`], but
    /// every `next()` is a [`Call::block_on_local`] call, so the stream never leaves the caller's
    /// thread. Where only hosting would work (a thread that drives a current_thread runtime or a
    /// `LocalSet`), `next()` returns [`ErrorKind::NotSend`](crate::ErrorKind::NotSend) once and the
    /// iteration ends: it never hangs and never panics.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use sync_facade_runtime::{Call, LocalBlockingStream};
    ///
    /// struct Countdown(Rc<u32>, u32);
    /// impl futures_core::Stream for Countdown {
    ///     type Item = u32;
    ///     fn poll_next(
    ///         mut self: std::pin::Pin<&mut Self>,
    ///         _: &mut std::task::Context<'_>,
    ///     ) -> std::task::Poll<Option<u32>> {
    ///         let n = self.1;
    ///         self.1 = n.saturating_sub(1);
    ///         std::task::Poll::Ready((n > 0).then(|| n * *self.0))
    ///     }
    /// }
    ///
    /// let items: Vec<u32> = LocalBlockingStream::new(Call::new("countdown"), Countdown(Rc::new(10), 3))
    ///     .map(Result::unwrap)
    ///     .collect();
    /// assert_eq!(items, [30, 20, 10]);
    /// ```
    LocalBlockingStream, block_on_local, []
}
