extension CheckContext {
    /// `path`'s text: the one the analysis read for this function's file, else read now (a
    /// finding placed in another file, a header).
    func source(of path: String) -> SourceText? {
        if let source, source.position(SourceLocation(file: path, line: 1, column: 1)) != nil { return source }
        return SourceText.load(path)
    }
}
