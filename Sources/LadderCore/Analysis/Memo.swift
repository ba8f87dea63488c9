/// A pre-scan result worked out the first time a walk asks for it. Most walks never ask for
/// some of them: what a switch turns on and off, or which handles the function can acquire,
/// matter only at a release of something the path does not hold, and a function whose
/// releases all match what it took never makes one. Belongs to one walk, on one thread.
final class Memo<Value> {
    private var make: (() -> Value)?
    private var made: Value?

    init(_ make: @escaping () -> Value) { self.make = make }

    var value: Value {
        if let made { return made }
        let value = make!()
        made = value
        make = nil
        return value
    }
}
