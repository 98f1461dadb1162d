//! The playground's entry point, built by Trunk.

fn main() {
    decider_web::start();
}
