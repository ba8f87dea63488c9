// Summaries are stored on disk between runs.
// The rules and paths they are made of declare `Codable` where they are declared;
// `AccessPath` is coded by hand, since its cached fingerprint is recomputed on decoding.


extension AccessPath: Codable {
    private enum CodingKeys: String, CodingKey { case root, steps }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(Root.self, forKey: .root), try container.decode([Step].self, forKey: .steps))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(root, forKey: .root)
        try container.encode(steps, forKey: .steps)
    }
}

// A summary written before a field existed decodes with that field empty.
extension FunctionSummary {
    private enum CodingKeys: String, CodingKey { case acquire, releases, transfers, expects, returnsHolding, returnsOnly, unknown, writes, returnsBits, registersActions,
                                                releasesOnFailure, returnsPlace, callsThrough }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(acquire: try container.decodeIfPresent(AcquireRule.self, forKey: .acquire),
                  releases: try container.decodeIfPresent([ReleaseRule].self, forKey: .releases) ?? [],
                  transfers: try container.decodeIfPresent([TransferRule].self, forKey: .transfers) ?? [],
                  expects: try container.decodeIfPresent([LockExpectation].self, forKey: .expects) ?? [],
                  unknown: try container.decodeIfPresent(Bool.self, forKey: .unknown) ?? false)
        returnsHolding = try container.decodeIfPresent([HeldForCaller].self, forKey: .returnsHolding) ?? []
        writes = try container.decodeIfPresent([FlagWrite].self, forKey: .writes) ?? []
        returnsBits = try container.decodeIfPresent([ReturnedBits].self, forKey: .returnsBits) ?? []
        returnsOnly = try container.decodeIfPresent([Int64].self, forKey: .returnsOnly) ?? []
        registersActions = try container.decodeIfPresent([RegisteredAction].self, forKey: .registersActions) ?? []
        releasesOnFailure = try container.decodeIfPresent([FailureRelease].self, forKey: .releasesOnFailure) ?? []
        returnsPlace = try container.decodeIfPresent(PathTemplate.self, forKey: .returnsPlace)
        callsThrough = try container.decodeIfPresent([CallThrough].self, forKey: .callsThrough) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(acquire, forKey: .acquire)
        try container.encode(releases, forKey: .releases)
        try container.encode(transfers, forKey: .transfers)
        if !expects.isEmpty { try container.encode(expects, forKey: .expects) }
        if !returnsHolding.isEmpty { try container.encode(returnsHolding, forKey: .returnsHolding) }
        if !returnsOnly.isEmpty { try container.encode(returnsOnly, forKey: .returnsOnly) }
        if unknown { try container.encode(unknown, forKey: .unknown) }
        if !writes.isEmpty { try container.encode(writes, forKey: .writes) }
        if !returnsBits.isEmpty { try container.encode(returnsBits, forKey: .returnsBits) }
        if !registersActions.isEmpty { try container.encode(registersActions, forKey: .registersActions) }
        if !releasesOnFailure.isEmpty { try container.encode(releasesOnFailure, forKey: .releasesOnFailure) }
        try container.encodeIfPresent(returnsPlace, forKey: .returnsPlace)
        if !callsThrough.isEmpty { try container.encode(callsThrough, forKey: .callsThrough) }
    }
}
