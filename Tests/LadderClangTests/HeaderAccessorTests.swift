import Foundation
import LadderClang
import LadderCore
import Testing

/// A header's one-line `container_of` accessor (`to_clu(&e->subdev)`) lowers to the object
/// around its argument, whether or not the parse skipped the header's bodies; anything else
/// in a header stays a call.
@Suite struct HeaderAccessorTests {
    static let header = """
        struct demo_sub { int id; };
        struct demo_entity { struct demo_sub subdev; };
        struct demo_clu { int flags; struct demo_entity entity; void *pool; };
        #define container_of(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
        static inline struct demo_clu *to_clu(struct demo_sub *sd)
        {
        \t/* the entity's subdevice is inside the clu */
        \treturn container_of(sd, struct demo_clu, entity.subdev);
        }
        void demo_warn(int c);
        static inline struct demo_clu *to_clu_checked(struct demo_sub *sd)
        {
        \tdemo_warn(!sd);
        \treturn container_of(sd, struct demo_clu, entity.subdev);
        }
        static inline struct demo_clu *to_clu_other(struct demo_sub *sd, int unused)
        {
        \treturn container_of(sd, struct demo_clu, entity.subdev);
        }

        """

    static let source = """
        #include "demo.h"
        void *demo_pool(struct demo_entity *e) { struct demo_clu *clu = to_clu(&e->subdev); return clu->pool; }
        void *demo_checked(struct demo_entity *e) { struct demo_clu *clu = to_clu_checked(&e->subdev); return clu->pool; }
        void *demo_other(struct demo_entity *e) { struct demo_clu *clu = to_clu_other(&e->subdev, 0); return clu->pool; }

        """

    func functions(skippingHeaderBodies: Bool) throws -> [String: Function] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-accessor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.header.write(to: directory.appendingPathComponent("demo.h"), atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("demo.c").path
        try Self.source.write(toFile: file, atomically: true, encoding: .utf8)
        let options: ParseOptions = skippingHeaderBodies ? ParseOptions.standard.union(.evenForSmallHeaders) : []
        let unit = try Frontend(options: options).load(CompileCommand(file: file)).get().unit
        return Dictionary(uniqueKeysWithValues: unit.functions.map { ($0.name, $0) })
    }

    /// The value `clu` is given in `function`.
    func cluValue(_ function: Function?) -> Expr.Kind? {
        for block in function?.blocks ?? [] {
            for case .assign(let target, let value, _) in block.statements where target.text == "clu" { return value.kind }
        }
        return nil
    }

    @Test("to_clu(&e->subdev) is the clu around e, with and without the header's bodies", arguments: [true, false])
    func accessorIsContainerOf(skipping: Bool) throws {
        let functions = try functions(skippingHeaderBodies: skipping)
        guard case .containerOf(let inner, let member)? = cluValue(functions["demo_pool"]) else {
            Issue.record("to_clu was not read as container_of: \(String(describing: cluValue(functions["demo_pool"])))")
            return
        }
        #expect(member == "entity.subdev")
        #expect(inner.text == "&e->subdev")
        let e = AccessPath(variable: Variable("e", .parameter))
        #expect(AccessPath(.variable(Variable("clu", .local))).rebased(on: Expr(.containerOf(inner, member: member), text: "").path)
                == e.appending(.container("entity")))
    }

    @Test("an accessor with more in its body, or a second parameter, stays a call", arguments: [true, false])
    func otherShapesStayCalls(skipping: Bool) throws {
        let functions = try functions(skippingHeaderBodies: skipping)
        for name in ["demo_checked", "demo_other"] {
            let calls = functions[name]?.blocks.flatMap(\.statements).compactMap { statement -> String? in
                if case .call(let call) = statement { call.callee } else { nil }
            } ?? []
            #expect(calls.contains { $0.hasPrefix("to_clu_") }, "\(name): \(calls)")
        }
    }
}
