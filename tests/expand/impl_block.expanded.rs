impl<T: Clone + Send + Sync> Store<T> {
    /// Creates a store.
    pub async fn new(value: T) -> Self {
        Store { value }
    }
    pub async fn get(&self) -> Result<T, std::io::Error> {
        Ok(self.value.clone())
    }
    pub async fn put(&mut self, value: T) {
        self.value = value;
    }
    pub async fn into_shared(self: std::sync::Arc<Self>) -> T {
        self.value.clone()
    }
    pub async fn skipped(&self) {}
    pub fn sync(&self) -> &T {
        &self.value
    }
    /// Creates a store.
    ///
    /// Blocking twin of [`new`](Self::new): runs it to completion from sync code, in any calling context.
    /// Times out (cancelling the future) after 5s.
    #[inline]
    pub fn blocking_new(value: T) -> ::core::result::Result<Self, ::sync_facade::Error> {
        #[allow(deprecated)]
        let __sync_facade_future = Self::new(value);
        ::sync_facade::__private::block_on(
            ::sync_facade::__private::Call::new("Store::new")
                .timeout(::core::time::Duration::new(5u64, 0u32)),
            __sync_facade_future,
        )
    }
    /// Blocking twin of [`get`](Self::get): runs it to completion from sync code, in any calling context.
    /// Times out (cancelling the future) after 5s.
    #[inline]
    pub fn blocking_get(&self) -> Result<T, std::io::Error> {
        #[allow(deprecated)]
        let __sync_facade_future = Self::get(self);
        ::sync_facade::__private::block_on_flatten(
            ::sync_facade::__private::Call::new("Store::get")
                .timeout(::core::time::Duration::new(5u64, 0u32)),
            __sync_facade_future,
        )
    }
    /// Blocking twin of [`put`](Self::put): runs it to completion from sync code, in any calling context.
    /// Times out (cancelling the future) after 5s.
    #[inline]
    pub fn put_now(
        &mut self,
        value: T,
    ) -> ::core::result::Result<(), ::sync_facade::Error> {
        #[allow(deprecated)]
        let __sync_facade_future = Self::put(self, value);
        ::sync_facade::__private::block_on(
            ::sync_facade::__private::Call::new("Store::put")
                .timeout(::core::time::Duration::new(5u64, 0u32))
                .strategy(::sync_facade::__private::Strategy::Hosted),
            __sync_facade_future,
        )
    }
    /// Blocking twin of [`into_shared`](Self::into_shared): runs it to completion from sync code, in any calling context.
    /// Times out (cancelling the future) after 5s.
    #[inline]
    pub fn blocking_into_shared(
        self: std::sync::Arc<Self>,
    ) -> ::core::result::Result<T, ::sync_facade::Error> {
        #[allow(deprecated)]
        let __sync_facade_future = Self::into_shared(self);
        ::sync_facade::__private::block_on(
            ::sync_facade::__private::Call::new("Store::into_shared")
                .timeout(::core::time::Duration::new(5u64, 0u32)),
            __sync_facade_future,
        )
    }
}
