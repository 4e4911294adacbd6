//! Every message the attribute shows to its users, in one place.

use std::fmt::Display;

/// The options an attribute on a function accepts.
pub const FN_OPTIONS: &[&str] = &["timeout", "name", "flatten", "local", "strategy", "skip", "client"];

/// The strategies `strategy = ...` accepts.
pub const STRATEGIES: &[&str] = &["direct", "in_place", "hosted"];

pub fn unknown_option(found: &str) -> String {
    let mut msg = format!(
        "unknown `#[sync_facade]` option `{found}`; expected one of `timeout`, `name`, `flatten`, `local`, `strategy`, `skip`, `client`"
    );
    if let Some(near) = did_you_mean(found, FN_OPTIONS) {
        msg = format!("unknown `#[sync_facade]` option `{found}`: did you mean `{near}`?");
    }
    msg
}

pub fn duplicate_option(key: &str) -> String {
    format!("duplicate `#[sync_facade]` option `{key}`: each option may be given at most once")
}

pub fn expected_option() -> &'static str {
    "expected a `#[sync_facade]` option such as `timeout = 30`, `name = blocking_load`, `flatten`, `local` or `strategy = hosted`"
}

pub fn extra_comma() -> &'static str {
    "no `#[sync_facade]` option before this `,`: remove the extra `,`"
}

pub fn expected_comma() -> &'static str {
    "expected `,` between `#[sync_facade]` options"
}

pub fn expected_comma_before(next: &str) -> String {
    format!("expected `,` before `{next}`: separate `#[sync_facade]` options with commas")
}

pub fn flag_takes_no_value(key: &str) -> String {
    format!("`{key}` takes no value: write `#[sync_facade({key})]`")
}

pub fn flatten_value() -> &'static str {
    "`flatten` takes no value, or a conversion of the call's error: write `#[sync_facade(flatten)]` (for an error type with `From<sync_facade::Error>`) or `#[sync_facade(flatten = convert)]` with `fn convert(e: sync_facade::Error) -> E` or a closure"
}

pub fn option_needs_value(key: &str, example: &str) -> String {
    format!("`{key}` needs a value, like `{key} = {example}`")
}

pub fn name_not_ident() -> &'static str {
    "`name` expects the identifier of the blocking twin, like `name = load_blocking`"
}

pub fn name_on_impl() -> &'static str {
    "`name` names a single blocking twin: put `#[sync_facade(name = ...)]` on the method inside the `impl` block"
}

pub fn skip_outside_impl() -> &'static str {
    "`skip` only applies to a method of an `impl` block that carries `#[sync_facade]`; to get no blocking twin, remove the attribute"
}

pub fn skip_with_other_options() -> &'static str {
    "`skip` gives no blocking twin, so it takes no other options"
}

pub fn unknown_strategy(found: &str) -> String {
    match did_you_mean(found, STRATEGIES) {
        Some(near) => format!("unknown strategy `{found}`: did you mean `{near}`?"),
        None => format!("unknown strategy `{found}`; expected `direct`, `in_place` or `hosted`"),
    }
}

pub fn local_and_hosted() -> &'static str {
    "`strategy = hosted` moves the future to another thread, which needs a `Send` future, and `local` is for futures that are not `Send`: remove one of them"
}

pub fn timeout_expected() -> &'static str {
    "`timeout` expects a positive number of seconds (`timeout = 30`, `timeout = 0.5`) or a string with a unit (`timeout = \"250ms\"`, `\"2m\"`; units: us, ms, s, m, h)"
}

pub fn timeout_zero() -> &'static str {
    "`timeout` must be greater than zero: a zero timeout would cancel every call; remove the option for no timeout"
}

pub fn timeout_negative() -> &'static str {
    "`timeout` must be positive, like `timeout = 30` (seconds)"
}

pub fn timeout_overflow() -> &'static str {
    "`timeout` is too large to be a `std::time::Duration`; remove the option for no timeout"
}

pub fn timeout_suffix(suffix: &str) -> String {
    format!("a number suffix `{suffix}` is not a unit here: write the seconds alone (`timeout = 30`) or use a string (`timeout = \"30s\"`)")
}

pub fn timeout_bad_unit(unit: &str) -> String {
    format!("unknown timeout unit `{unit}`; expected one of `us`, `ms`, `s`, `m`, `h`, like `timeout = \"250ms\"`")
}

pub fn timeout_no_unit() -> &'static str {
    "a `timeout` string needs a unit, like `\"30s\"`, `\"250ms\"`, `\"2m\"` (units: us, ms, s, m, h); or give plain seconds: `timeout = 30`"
}

pub fn timeout_bad_number(text: &str) -> String {
    format!("cannot read `{text}` as a timeout; expected a number followed by a unit, like `\"250ms\"`, `\"1.5s\"` or `\"2m\"`")
}

pub fn not_async(name: &dyn Display) -> String {
    format!("`#[sync_facade]` adds a blocking twin to an `async fn`, but `{name}` is not `async`; make it `async fn {name}`, or remove the attribute")
}

pub fn unsupported_item(kind: &str) -> String {
    format!("`#[sync_facade]` cannot be used on {kind}: put it on an `async fn`, on an inherent `impl` block (`impl Type {{ ... }}`) whose `async fn`s should get blocking twins, or on a trait (for a blocking companion trait)")
}

pub fn trait_impl() -> &'static str {
    "`#[sync_facade]` cannot be used on a trait impl (`impl Trait for Type`): a trait impl may only define the trait's items, so it has no room for blocking twins; put the attribute on an inherent `impl Type { ... }` block instead (or on single `async fn`s there), or on the trait itself for a blocking companion trait"
}

/// `#[sync_facade]` on a function in `impl {trait_path} for {self_ty}` (read by `placement`).
pub fn fn_in_trait_impl(method: &str, has_receiver: bool, trait_path: &str, self_ty: &str) -> String {
    let trait_name =
        trait_path.split('<').next().unwrap_or(trait_path).rsplit("::").next().unwrap_or(trait_path).trim();
    let call =
        if has_receiver { format!("value.{method}(..)") } else { format!("<{self_ty} as {trait_path}>::{method}(..)") };
    format!("`#[sync_facade]` cannot add a blocking twin of `{method}` here: `impl {trait_path} for {self_ty}` may only define the items of `{trait_name}`. Remove the attribute, then either put `#[sync_facade]` on `trait {trait_name}` itself (if it is yours: every implementor then gets `blocking_{method}` from the companion trait `Blocking{trait_name}`), or call `sync_facade::block_on({call})` where a blocking call is needed")
}

pub fn inner_on_sync_fn() -> &'static str {
    "`#[sync_facade]` on a method only applies to an `async fn`; this method is not `async`, so remove the attribute"
}

pub fn flatten_needs_result() -> &'static str {
    "`flatten` folds the blocking call's error into the function's own error, so the `async fn` must return a `Result<T, E>` (with `E: From<sync_facade::Error>`, or a conversion: `flatten = convert`); remove `flatten` to get `Result<Output, sync_facade::Error>`"
}

pub fn variadic() -> &'static str {
    "`#[sync_facade]` cannot make a blocking twin of a variadic function"
}

pub fn twin_doc(original: &str, in_impl: bool, raw: bool) -> String {
    let link = match (raw, in_impl) {
        (true, _) => format!("`{original}`"), // intra-doc links cannot name a raw identifier
        (false, true) => format!("[`{original}`](Self::{original})"),
        (false, false) => format!("[`{original}`]"),
    };
    format!(" Blocking twin of {link}: runs it to completion from sync code, in any calling context.")
}

pub fn twin_doc_timeout(timeout: &str) -> String {
    format!(" Times out (cancelling the future) after {timeout}.")
}

/// The closest candidate to `found` within a small edit distance.
pub fn did_you_mean<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let found = found.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&found, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

pub fn client_not_ident() -> &'static str {
    "`client` expects the name of the blocking client type, like `client = BlockingStore` or `client = pub(crate) BlockingStore`"
}

pub fn client_outside_impl(on_trait: bool) -> &'static str {
    if on_trait {
        "`client` generates a blocking type from an inherent `impl` block; on a trait, `#[sync_facade]` generates a blocking companion trait, named with `name = BlockingService`"
    } else {
        "`client` generates a blocking type from an inherent `impl` block: put `#[sync_facade(client = BlockingName)]` on `impl Type { ... }`"
    }
}

pub fn client_same_name(type_name: &str) -> String {
    format!("the blocking client needs a name of its own: `{type_name}` is the async type it wraps; write e.g. `client = Blocking{type_name}`")
}

pub fn client_typed_receiver(type_name: &str) -> String {
    format!(
        "a blocking client owns its `{type_name}` directly, so it can forward `self`, `&self` and `&mut self` but not this receiver; add `#[sync_facade(skip)]` to this method and call it through `as_async()` or `into_async()`"
    )
}

pub fn client_doc(type_name: &str) -> String {
    format!(
        "Blocking client for [`{type_name}`], generated by `#[sync_facade(client = ...)]`: the same methods, each running the async one to completion from sync code, in any calling context.\n\nConvert with `From<{type_name}>`, [`into_async`](Self::into_async) and [`as_async`](Self::as_async). Dropping it is dropping the `{type_name}` inside: it never blocks."
    )
}

pub fn client_method_doc(type_name: &str, method: &str, is_async: bool) -> String {
    if is_async {
        format!("Blocking version of [`{type_name}::{method}`], generated by `#[sync_facade]`.")
    } else {
        format!("Forwards to [`{type_name}::{method}`].")
    }
}

pub fn companion_doc(trait_name: &str) -> String {
    format!(
        "Blocking companion of [`{trait_name}`], generated by `#[sync_facade]`: implemented for every implementor of `{trait_name}`; each `blocking_*` method runs the async one to completion from sync code, in any calling context.\n\nThe `async fn`s of `{trait_name}` return `Send` futures (implementors still write `async fn`); with `#[sync_facade(local)]` they need not, and the companion then only runs where the future can stay on the calling thread."
    )
}

pub fn trait_future_not_send(output: &str) -> String {
    format!("`#[sync_facade]`: this method's future is not declared `Send`, and its blocking twin may have to run it on another thread; write `-> impl Future<Output = {output}> + Send`, or add `#[sync_facade(local)]` to the method (or to the trait) for a twin that runs it on the calling thread")
}

pub fn companion_method_doc(trait_name: &str, method: &str) -> String {
    format!("Blocking version of [`{trait_name}::{method}`], generated by `#[sync_facade]`.")
}
