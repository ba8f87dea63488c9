import CLibClang
import LadderCore

/// Lowers every function defined in a translation unit's main file into a CFG.
struct Lowering {
    let tu: CXTranslationUnit
    let mainFile: String

    /// The functions lowered, and one error for each function that could not be.
    func lowerAll() -> (functions: [Function], errors: [ProcessingError]) {
        let map = SourceMap(tu: tu, mainFile: mainFile)
        let root = Cursor(clang_getTranslationUnitCursor(tu))
        var functions: [Function] = []
        var errors: [ProcessingError] = []
        let accessors = HeaderAccessors(tu: tu, map: map)
        for decl in root.children {
            guard decl.kind == CXCursor_FunctionDecl, decl.isDefinition, map.isInMainFile(decl),
                  let body = decl.children.last(where: { $0.kind == CXCursor_CompoundStmt }) else { continue }
            switch FunctionLowering(tu: tu, map: map, declaration: decl, accessors: accessors).lower(body: body) {
            case .success(let function): functions.append(function)
            case .failure(let error): errors.append(error)
            }
        }
        return (functions, errors)
    }
}

extension CXType {
    var shape: CType.Shape {
        let k = canonical.kind
        switch k {
        case CXType_Void: return .void
        case CXType_Pointer, CXType_BlockPointer: return .pointer
        case CXType_Bool, CXType_UChar, CXType_Char_U, CXType_UShort, CXType_UInt, CXType_ULong, CXType_ULongLong,
             CXType_UInt128:
            return .unsignedInteger
        case CXType_Char_S, CXType_SChar, CXType_Short, CXType_Int, CXType_Long, CXType_LongLong, CXType_Int128,
             CXType_Enum:
            return .signedInteger
        default: return .other
        }
    }

    var cType: CType { CType(spelling: spelling, shape: shape) }
}
