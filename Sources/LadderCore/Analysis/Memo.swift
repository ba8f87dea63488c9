/// A value worked out the first time a walk asks for it, for what many walks never ask:
/// which handles the function can acquire matters only at a release of something the path
/// does not hold, or at a call that expects a lock the path does not hold; what a switch
/// turns on and off, at such a release and at a success exit that leaks; what the body
/// says about its exits (`EscapeAnalysis`), only at an exit that holds something; where a
/// store may be undone (`UndoneStorePlaces`), only at a store that hands something on.
/// Belongs to one walk, on one thread (not `Sendable`, so the compiler keeps it there).
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
