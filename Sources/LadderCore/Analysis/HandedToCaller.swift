/// What a static helper leaves held in its caller's objects when it fails, for its callers to
/// undo: `msdc_ungate_clock(host)` enables `host->h_clk` and the others and returns the
/// result of a later poll, and its caller's `release_clk:` label runs `msdc_gate_clock(host)`
/// on that failure; `owl_mmc_prepare_data(host, data)` maps `data->sg` and returns `-EBUSY`,
/// and its caller's `err_out:` unmaps it. Releasing in the helper would release twice. Read
/// alone, each such error return looks like a leak; whose leak it is, the callers say.
///
/// The rule: at an error return of a static function, a resource that is no lock (locks are
/// `HeldThroughFailure`'s) and is named through a parameter (`{0}->h_clk`) or is a file-scope
/// object (`&w83781d_group`, whose `w83781d_create_files` leaves the groups it created to the
/// caller's `w83781d_remove_files`) is held back as a
/// contract the caller may take (`HeldForCaller`, `evenOnFailure`, `callersRelease`). It
/// stands when every caller in view that calls the function by name releases it, under the
/// name the call gives it, somewhere in its body: directly, or through a helper whose summary
/// releases it (`ContractUse.made`; for these, handing the object to an unknown call is no
/// agreement). Such a caller walks the call as taking the resource whatever it returns
/// (`Transfer.takeHeldForCaller`), so a caller whose later failure returns without that
/// release is told so at its own return: the finding moves to the caller, it does not go.
/// When some callers release it and another does not (`msdc_runtime_resume` returns the
/// failure as it is), that caller is told so at its call (`DisagreeingCallers`). When none
/// does, or the function is only called through a pointer (a callback), or nothing in view
/// calls it at all, the helper's error returns are reported as before (`ContractSettlement`).
///
/// A caller that made the kind managed on that handle before the call agrees too: after
/// `pcim_enable_device(pdev)` the vectors a helper's `pci_alloc_irq_vectors(pdev, …)` leaves
/// behind are freed by the driver core when probe fails (cavium-thunderx's
/// `thunder_mmc_register_interrupts`).
///
/// The release must be able to run after the call (`ContractUse.made`), on some path. A
/// caller that releases only on the helper's success side still agrees, and its own walk
/// finds the failure side: a test that shows the helper failed (`ret < 0`) marks what it
/// left (`HeldResource.leftByHelper`), which then no longer escapes through the caller's
/// objects, so a `void` request callback that completes the failed request and returns is
/// reported there (sunxi's `sunxi_mmc_map_dma` and its caller).
///
/// What a function acquires straight into its caller's object (`ring->info = vzalloc(…)`,
/// `HeldResource.inCallerObject`) is held back the same way, exported function or not:
/// returning the failure with it still there is a leak unless every caller in view undoes
/// it (igc's `igc_setup_tx_resources`, whose caller frees only the rings set up before the
/// failing one). With no caller in view nothing is reported: a caller that tears the
/// half-built object down on failure is a convention as common as the helper that does.
///
/// What it cannot see: a helper's failure told by anything but a negative `int` result (a
/// NULL pointer, a `bool`), or tested only through a copy; a caller that names the object otherwise than the call's argument does (through
/// a pointer stored earlier, `owl_host->mrq->data->sg` for the `data->sg` passed) does not
/// agree; an exported helper's callers may be in other files, so of what a helper left behind
/// only static ones qualify. A resource stored into the caller's object after it was
/// acquired into a local (`lag = kzalloc(…); pf->lag = lag;`) is still handed on at the
/// store. A caller whose unwind loop frees the elements set up before the failing one
/// (`for (i--; i >= 0; i--) free_ring(rings[i])`) does not agree: a release of the element
/// the call was given reached only after its index moved is one of another element
/// (`ContractUse.made`); the index is any variable picking an element in the call's
/// arguments, and any store into it counts as a move.
struct HandedToCaller {
    let transfer: Transfer

    /// The resources held at an error return that the callers may be releasing, each with the
    /// contract that names it in their terms.
    func heldBack(_ held: [HeldResource]) -> [(HeldResource, HeldForCaller)] {
        let parameters = transfer.function.parameters.map { Variable($0.name, .parameter) }
        return held.compactMap { resource in
            guard transfer.function.isStatic || resource.inCallerObject, !transfer.pack.locks.contains(resource.kind) else { return nil }
            for handle in resource.handles.sorted(by: { $0.description < $1.description }) {
                guard case .variable(let v) = handle.root else { continue }
                let template: PathTemplate?
                switch v.storage {
                case .parameter: template = PathTemplate(abstracting: handle, parameters: parameters)
                // A file-scope object (`&w83781d_group`) is named alike by every function of
                // the file, so a static helper's callers can undo it under that name.
                case .global where transfer.function.isStatic: template = PathTemplate(.path(handle))
                default: template = nil
                }
                guard let template else { continue }
                return (resource, HeldForCaller(kind: resource.kind, lock: template, evenOnFailure: true, callersRelease: true,
                                                inCallerObject: resource.inCallerObject))
            }
            return nil
        }
    }
}
