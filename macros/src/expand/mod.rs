//! One expander per kind of annotated item; `crate::entry` picks one. Each writes its twins with
//! the shared layer `crate::twin`, and none depends on another.
//!
//! | item | expander | output |
//! |---|---|---|
//! | `async fn` (free, or a lone method) | [`fn_item`] | the function, then `blocking_<name>` |
//! | inherent `impl` block | [`impl_block`] | the block with a twin per `async fn` |
//! | inherent `impl` block with `client = Name` | [`client`] | the block, then a blocking client type |
//! | trait | [`trait_item`] | the trait, then a blocking companion trait for every implementor |

pub(crate) mod client;
pub(crate) mod fn_item;
pub(crate) mod impl_block;
pub(crate) mod trait_item;
