//! Integration tests over real HTTP against an in-process server.

mod common;

mod applications;
mod batch;
mod cli;
mod control;
mod cors;
mod errors;
mod events;
mod people;
mod pools;
mod presence;
mod signin;
mod subscriptions;
mod xframe;
