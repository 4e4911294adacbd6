//! The one error type of a blocking call.

use crate::{ContextKind, Strategy};
use core::fmt;
use std::time::Duration;

/// What went wrong in a blocking call. The enum grows; match with a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The call's timeout expired. The future was dropped (cancelled) before the error returned.
    Timeout,
    /// The future is not `Send`, and this context can only run a call by hosting it on another
    /// thread.
    NotSend,
    /// A forced [`Strategy`] cannot be used in this context.
    StrategyUnavailable,
    /// The facade host runtime could not be started.
    HostUnavailable,
    /// The host runtime shut down before the future finished; the future was dropped.
    HostShutdown,
}

/// The error of a blocking call: it names the function, the context and the strategy.
///
/// `Send + Sync + 'static`, and converts into [`std::io::Error`] (timeouts as
/// [`std::io::ErrorKind::TimedOut`]) so `?` works in functions returning `io::Result`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Error {
    kind: ErrorKind,
    name: &'static str,
    context: ContextKind,
    strategy: Option<Strategy>,
    timeout: Option<Duration>,
    source: Option<std::io::Error>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, name: &'static str, context: ContextKind, strategy: Option<Strategy>) -> Self {
        Error { kind, name, context, strategy, timeout: None, source: None }
    }

    pub(crate) fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    pub(crate) fn with_source(mut self, source: std::io::Error) -> Self {
        self.source = Some(source);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// `true` when the call's timeout expired (the future was dropped).
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// The name of the call (the async function's name for generated twins).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The context the call was made in.
    pub fn context(&self) -> ContextKind {
        self.context
    }

    /// The strategy that was used or asked for, if one was chosen.
    pub fn strategy(&self) -> Option<Strategy> {
        self.strategy
    }

    /// Whether a hosted call blocked a thread that drives a runtime: the one context where a
    /// timeout often means a deadlock rather than a slow future.
    fn blocked_its_runtime(&self) -> bool {
        self.strategy == Some(Strategy::Hosted)
            && matches!(
                self.context,
                ContextKind::CurrentThreadDriver | ContextKind::CurrentThreadWaiter | ContextKind::MultiThreadLocalSet
            )
    }

    /// The timeout of the call, if it had one.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` ", self.name)?;
        match self.kind {
            ErrorKind::Timeout => {
                match self.timeout {
                    Some(t) => write!(f, "timed out after {t:?}; its future was cancelled")?,
                    None => f.write_str("timed out; its future was cancelled")?,
                }
                if self.blocked_its_runtime() {
                    f.write_str(
                        ". Likely cause: this thread drives a runtime (current_thread or LocalSet) that was \
                         blocked for the whole call, while the future ran on the facade host; a future that waits \
                         on a socket, timer, process or task of that blocked runtime can never finish (a \
                         deadlock, which only the timeout ended). Fix: create such resources inside the future, \
                         or call from a multi_thread runtime or spawn_blocking",
                    )?;
                }
            }
            ErrorKind::NotSend => f.write_str(
                "cannot run here: its future is not Send, and this thread drives a runtime that blocking would \
                 stall, so the future would have to move to another thread; make the future Send, or call from \
                 spawn_blocking, a plain thread or a multi_thread runtime",
            )?,
            ErrorKind::StrategyUnavailable => f.write_str(
                "cannot use the forced strategy in this context; leave the strategy automatic, or call from a \
                 context that allows it",
            )?,
            ErrorKind::HostUnavailable => f.write_str("could not start the sync-facade host runtime")?,
            ErrorKind::HostShutdown => {
                f.write_str("was cancelled: the host runtime shut down before its future finished")?
            }
        }
        write!(f, " (context: {}", self.context)?;
        if let Some(s) = self.strategy {
            write!(f, ", strategy: {s}")?;
        }
        f.write_str(")")?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        let kind = match e.kind {
            ErrorKind::Timeout => std::io::ErrorKind::TimedOut,
            ErrorKind::HostShutdown => std::io::ErrorKind::Interrupted,
            ErrorKind::NotSend | ErrorKind::StrategyUnavailable => std::io::ErrorKind::Unsupported,
            ErrorKind::HostUnavailable => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    }
}
