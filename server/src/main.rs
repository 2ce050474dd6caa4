fn main() {
    println!("ucwa-server: not yet");
}
