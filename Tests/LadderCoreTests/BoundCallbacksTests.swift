@testable import LadderCore
import Testing

/// The pieces of `BoundCallbacks` a wrong answer would hide in: the expression a bound call is
/// given must name the very place the summary named, and a summarised undo must rename the
/// handle only where it stands alone.
@Suite struct BoundCallbacksTests {
    @Test("the expression made for a bound call's argument names the path it was made from")
    func expressionsRoundTrip() {
        let e = Variable("e", .parameter), clu = Variable("clu", .local)
        let paths = [
            AccessPath(variable: e),
            AccessPath(variable: clu).appending([.field("entity", arrow: true), .addressOf]),
            AccessPath(variable: e).appending([.field("subdev", arrow: true), .addressOf, .container("subdev"), .container("entity"),
                                               .field("pool", arrow: true)]),
            AccessPath(variable: clu).appending([.field("bufs", arrow: true), .element(2), .field("mem", arrow: false)]),
            AccessPath(.call("netdev_priv", [AccessPath(variable: Variable("dev", .parameter))])).appending(.field("pdev", arrow: true)),
        ]
        for path in paths {
            #expect(BoundCallbacks.expression(path).path == path, "\(path)")
        }
    }

    @Test("a summarised undo renames the handle where it stands alone, never inside an identifier")
    func undoRenamesWholeNames() {
        #expect(SummaryDerivation.replacingName("dev", in: "put_device(dev)", with: "&{ret}->dev") == "put_device(&{ret}->dev)")
        #expect(SummaryDerivation.replacingName("p", in: "kfree(p)", with: "{ret}") == "kfree({ret})")
        #expect(SummaryDerivation.replacingName("buf", in: "dma_free(buf_len, buf, bufdma)", with: "{ret}") == "dma_free(buf_len, {ret}, bufdma)")
        #expect(SummaryDerivation.replacingName("&x->lock", in: "mutex_unlock(&x->lock)", with: "&{ret}->lock") == "mutex_unlock(&{ret}->lock)")
    }
}
