//! Integration tests over real HTTP against an in-process server.

mod common;

mod applications;
mod batch;
mod cli;
mod control;
mod cors;
mod cwa2007;
mod errors;
mod events;
mod faults;
mod kerberos;
mod negotiate;
mod notes;
mod people;
mod photos;
mod pools;
mod presence;
mod signin;
mod subscriptions;
mod xframe;
