//! A chat platform that sends nothing, as fast as asked: for benchmarks
//! that measure the store and the engine, not a network.

use rapport::delivery::{BoxFuture, ChatPort, DeliveryError, Readers, Sent};
use rapport::domain::{Platform, Posted, Reply, SpaceRef, UserRef};

pub struct NullPort;

impl ChatPort for NullPort {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    fn send_to_user<'a>(&'a self, _: &'a UserRef, _: &'a str, _: &'a Reply) -> Sent<'a> {
        Box::pin(async { Ok(Posted::default()) })
    }

    fn send_to_space<'a>(&'a self, _: &'a SpaceRef, _: &'a str, _: &'a Reply) -> Sent<'a> {
        Box::pin(async { Ok(Posted::default()) })
    }

    fn space_readers<'a>(
        &'a self,
        _: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        Box::pin(async { Ok(Readers::Only(Vec::new())) })
    }

    fn retract<'a>(&'a self, _: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async { Ok(()) })
    }
}
