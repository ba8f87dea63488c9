import Foundation
import LadderTestSupport
import Testing

/// The built-in packs validate against rules/rules.schema.json, and the schema rejects what
/// the loader rejects.
@Suite struct RulePackSchemaTests {
    @Test(arguments: ["xv6", "linux"])
    func builtInPackValidates(_ name: String) throws {
        let errors = try JSONSchemaCheck.errors(documentAt: Repository.path("rules/\(name).yaml"), schemaAt: JSONSchemaCheck.rulePackSchema)
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func schemaRejectsAnUnknownField() throws {
        let errors = try JSONSchemaCheck.errors(document: "name: bad\nacquire:\n  kalloc: {kind: page, sucess: nonzero}\n",
                                                extension: "yaml", schemaAt: JSONSchemaCheck.rulePackSchema)
        #expect(errors.contains { $0.contains("sucess") }, "\(errors)")
    }
}
