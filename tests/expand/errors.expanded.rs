async fn load() -> usize {
    1
}
/// Blocking twin of [`load`]: runs it to completion from sync code, in any calling context.
#[inline]
fn blocking_load() -> ::core::result::Result<usize, ::sync_facade::Error> {
    #[allow(deprecated)]
    let __sync_facade_future = load();
    ::sync_facade::__private::block_on(
        ::sync_facade::__private::Call::new("load"),
        __sync_facade_future,
    )
}
::core::compile_error! {
    "unknown `#[sync_facade]` option `timout`: did you mean `timeout`?"
}
::core::compile_error! {
    "`timeout` must be greater than zero: a zero timeout would cancel every call; remove the option for no timeout"
}
::core::compile_error! {
    "`flatten` folds the blocking call's error into the function's own error, so the `async fn` must return a `Result<T, E>` (with `E: From<sync_facade::Error>`, or a conversion: `flatten = convert`); remove `flatten` to get `Result<Output, sync_facade::Error>`"
}
impl Store for Memory {
    async fn get(&self) {}
}
::core::compile_error! {
    "`#[sync_facade]` cannot be used on a trait impl (`impl Trait for Type`): a trait impl may only define the trait's items, so it has no room for blocking twins; put the attribute on an inherent `impl Type { ... }` block instead (or on single `async fn`s there), or on the trait itself for a blocking companion trait"
}
