// The Sv39 model's side of bench/qemu-sv39-diff.py: loads a RAM image dumped from QEMU
// (`pmemsave`), walks the page table a satp value names with Sources/Sv39's `MMU`, and
// prints what the model translates. The script compiles this file together with
// Sources/Sv39/*.swift (one module, so only Sv39's public API is used here) and compares the
// output with QEMU's `info mem` and `gva2gpa`.
//
//   qemu-sv39-walk --ram FILE --ram-base HEX --satp HEX --priv user|supervisor
//                  --sum 0|1 --mxr 0|1 [--probes FILE]
//
// Output, one line each, addresses in hex:
//   map VA PA ATTR     every 4 KiB page the model translates, ATTR as QEMU prints it
//                      ("rwxug", a dash for each clear bit)
//   ctx VA PA          for each VA of --probes: a load in the CPU's context (--priv, --sum,
//   ctx VA - REASON    --mxr), which is what QEMU's gva2gpa translates; or the fault
//
// Why the image is moved. The model's physical addresses are host addresses
// (`PhysicalMemory`: C built for the host walks the same tables), so the guest's RAM,
// at 0x80000000 on QEMU's virt board, cannot sit at its own address. It is copied into a
// window of a model memory block instead, and every word of it that could be a PTE naming
// RAM (V set, PPN inside RAM) has its PPN moved by the same distance; the walk's answers are
// moved back. The window starts on a 1 GiB boundary, as RAM does, so the distance is a
// multiple of every Sv39 page size and the superpage alignment rule (§4.3.2 step 6) and the
// VPN pass-through (step 8) see the same low bits as on the board. Moving a data word that
// only looks like a PTE is harmless: the walk reads only the tables the root leads to.
// What it cannot see: a PTE naming memory outside the board's RAM is left alone, and the
// block's bytes outside the window are whatever the host gave (zeros, from a fresh mapping:
// invalid PTEs) where QEMU would read a device or raise an access fault; no table of xv6's
// points there.
import Foundation

struct WalkError: Error, CustomStringConvertible {
    let description: String
}

struct Options {
    var ram = ""
    var ramBase: UInt64 = 0
    var satp: UInt64 = 0
    var privilege = PrivilegeMode.supervisor
    var sum = false
    var mxr = false
    var probes: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw WalkError(description: "\(flag) needs a value") }
            return next
        }
        func hex(_ flag: String) throws -> UInt64 {
            let text = try value(flag)
            let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
            guard let number = UInt64(digits, radix: 16) else {
                throw WalkError(description: "\(flag): '\(text)' is not a hexadecimal number")
            }
            return number
        }
        func flag(_ name: String) throws -> Bool {
            switch try value(name) {
            case "0": return false
            case "1": return true
            case let other: throw WalkError(description: "\(name): '\(other)' is not 0 or 1")
            }
        }
        var seen: Set<String> = []
        while let argument = rest.popFirst() {
            seen.insert(argument)
            switch argument {
            case "--ram": ram = try value(argument)
            case "--ram-base": ramBase = try hex(argument)
            case "--satp": satp = try hex(argument)
            case "--priv":
                let text = try value(argument)
                guard let mode = PrivilegeMode(rawValue: text) else {
                    throw WalkError(description: "--priv: '\(text)' is not user or supervisor")
                }
                privilege = mode
            case "--sum": sum = try flag(argument)
            case "--mxr": mxr = try flag(argument)
            case "--probes": probes = try value(argument)
            default: throw WalkError(description: "unknown argument '\(argument)'")
            }
        }
        for required in ["--ram", "--ram-base", "--satp", "--priv", "--sum", "--mxr"] where !seen.contains(required) {
            throw WalkError(description: "\(required) is required")
        }
    }
}

/// The guest's RAM inside a model memory block, and the distance between the two.
struct RelocatedRAM {
    static let window = Sv39.regionSize(atLevel: Sv39.levels - 1)

    let memory: PhysicalMemory
    let guestBase: UInt64
    let size: UInt64
    let hostBase: UInt64

    init(image: Data, guestBase: UInt64) throws {
        let size = UInt64(image.count)
        guard size > 0, size % Sv39.pageSize == 0 else {
            throw WalkError(description: "the RAM image is \(size) bytes, not a whole number of pages")
        }
        guard guestBase % RelocatedRAM.window == 0 else {
            throw WalkError(description: "RAM at 0x\(String(guestBase, radix: 16)) is not 1 GiB aligned: moving it would change superpage alignment")
        }
        memory = try PhysicalMemory(size: RelocatedRAM.window + size)
        hostBase = (memory.base.rawValue + RelocatedRAM.window - 1) / RelocatedRAM.window * RelocatedRAM.window
        // Guest physical addresses on the virt board are below 4 GiB; a window there could
        // be mistaken for one of them when answers are moved back.
        guard hostBase >= 1 << 32 else {
            throw WalkError(description: "the host placed model memory below 4 GiB (0x\(String(hostBase, radix: 16))); run again")
        }
        self.guestBase = guestBase
        self.size = size
        let target = try memory.pointer(to: PhysicalAddress(hostBase), length: size)
        image.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        relocateEntries(at: target)
    }

    /// Moves the PPN of every word that is a valid PTE naming guest RAM.
    private func relocateEntries(at start: UnsafeMutableRawPointer) {
        let firstPPN = guestBase >> Sv39.pageShift
        let endPPN = (guestBase + size) >> Sv39.pageShift
        let shift = (hostBase >> Sv39.pageShift) &- firstPPN
        let words = start.bindMemory(to: UInt64.self, capacity: Int(size / 8))
        for index in 0..<Int(size / 8) {
            let entry = PageTableEntry(rawValue: UInt64(littleEndian: words[index]))
            guard entry.isValid, entry.ppn >= firstPPN, entry.ppn < endPPN else { continue }
            let moved = PageTableEntry(rawValue: entry.rawValue & ~(Sv39.ppnMask << 10) | ((entry.ppn &+ shift) << 10))
            words[index] = moved.rawValue.littleEndian
        }
    }

    func host(_ guest: UInt64) -> PhysicalAddress {
        guard guest >= guestBase, guest < guestBase + size else { return PhysicalAddress(guest) }
        return PhysicalAddress(guest - guestBase + hostBase)
    }

    func guest(_ host: PhysicalAddress) -> UInt64 {
        guard host.rawValue >= hostBase, host.rawValue < hostBase + size else { return host.rawValue }
        return host.rawValue - hostBase + guestBase
    }
}

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

/// The level whose whole region faults the same way as this address, or nil when the fault
/// says nothing about its neighbours.
func uniformLevel(_ reason: FaultReason) -> Int? {
    switch reason {
    case .invalidEntry(let level), .writableWithoutReadable(let level), .reservedUpperBits(let level, _),
        .reservedFlagsInNonLeaf(let level, _), .permissionDenied(let level, _), .misalignedSuperpage(let level),
        .accessedBitClear(let level), .dirtyBitClear(let level):
        return level
    case .pointerAtLevelZero:
        return 0
    case .nonCanonicalAddress, .noMemoryForEntry, .noMemoryAt:
        return nil
    }
}

struct Walker {
    let ram: RelocatedRAM
    let mmu: MMU
    let satp: Satp
    let options: Options

    init(options: Options) throws {
        let image = try Data(contentsOf: URL(fileURLWithPath: options.ram), options: .alwaysMapped)
        ram = try RelocatedRAM(image: image, guestBase: options.ramBase)
        // QEMU sets A and D itself (no Svade), and its debug walks fault on neither.
        mmu = MMU(memory: ram.memory, accessedDirtyPolicy: .svadu)
        let mode = options.satp >> 60
        guard mode == Satp.sv39Mode else {
            throw WalkError(description: "satp \(hex(options.satp)) is not in Sv39 mode (MODE \(mode))")
        }
        let root = PhysicalAddress(ppn: options.satp & Sv39.ppnMask)
        satp = Satp(asid: (options.satp >> 44) & 0xffff, rootPPN: ram.host(root.rawValue).ppn)
        self.options = options
    }

    func translate(_ va: UInt64, _ access: AccessType, _ privilege: PrivilegeMode, sum: Bool = false, mxr: Bool = false)
        -> Result<Translation, TranslationFault>
    {
        let context = TranslationContext(
            satp: satp, privilege: privilege, permitSupervisorUserAccess: sum, makeExecutableReadable: mxr)
        return Result { () throws(TranslationFault) in try mmu.translate(VirtualAddress(va), for: access, in: context) }
    }

    /// Every mapped 4 KiB page of both canonical halves, found by the model's own walk: an
    /// S-mode load with SUM and MXR set passes every leaf, and a fault at level L stands for
    /// its whole level-L region, which is skipped.
    func mappedPages(_ emit: (UInt64, Translation) -> Void) throws {
        let half: UInt64 = 1 << (Sv39.virtualAddressBits - 1)
        for (start, end) in [(UInt64(0), half), (0 &- half, UInt64(0))] {
            var va = start
            repeat {
                switch translate(va, .load, .supervisor, sum: true, mxr: true) {
                case .success(let translation):
                    emit(va, translation)
                    va &+= Sv39.pageSize
                case .failure(let fault):
                    guard let level = uniformLevel(fault.reason) else {
                        throw WalkError(description: "no walk through \(hex(va)): \(fault)")
                    }
                    let region = Sv39.regionSize(atLevel: level)
                    va = (va / region &+ 1) &* region
                }
            } while va != end
        }
    }

    /// QEMU's attribute letters for a page, from the model's permission decisions with SUM
    /// and MXR clear: the page is U when a user access succeeds, and R/W/X are what the mode
    /// the page belongs to may do. G is the leaf's own bit: no access depends on it.
    func attributes(_ va: UInt64, leaf: PageTableEntry) -> String {
        func allowed(_ access: AccessType, _ mode: PrivilegeMode) -> Bool {
            if case .success = translate(va, access, mode) { return true }
            return false
        }
        let user = AccessType.allCases.contains { allowed($0, .user) }
        let mode: PrivilegeMode = user ? .user : .supervisor
        return [
            allowed(.load, mode) ? "r" : "-", allowed(.store, mode) ? "w" : "-", allowed(.fetch, mode) ? "x" : "-",
            user ? "u" : "-", leaf.flags.contains(.global) ? "g" : "-",
        ].joined()
    }

    func run() throws {
        var out = ""
        try mappedPages { va, translation in
            let pa = ram.guest(translation.physicalAddress)
            out += "map \(hex(va)) \(hex(pa)) \(attributes(va, leaf: translation.leaf))\n"
        }
        if let probes = options.probes {
            let text = try String(contentsOfFile: probes, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let digits = line.hasPrefix("0x") ? line.dropFirst(2) : line[...]
                guard let va = UInt64(digits, radix: 16) else {
                    throw WalkError(description: "\(probes): '\(line)' is not a hexadecimal address")
                }
                switch translate(va, .load, options.privilege, sum: options.sum, mxr: options.mxr) {
                case .success(let translation): out += "ctx \(hex(va)) \(hex(ram.guest(translation.physicalAddress)))\n"
                case .failure(let fault): out += "ctx \(hex(va)) - \(fault.reason)\n"
                }
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

@main
enum QemuSv39Walk {
    static func main() {
        do {
            try Walker(options: Options(Array(CommandLine.arguments.dropFirst()))).run()
        } catch {
            FileHandle.standardError.write(Data("qemu-sv39-walk: \(error)\n".utf8))
            exit(2)
        }
    }
}
