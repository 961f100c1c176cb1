import Diagnostics

/// Why a recipe cannot become a graph for a batch: a block needs an input the batch lacks,
/// an option the compiler does not support, or shapes that do not fit. It points at the
/// recipe entry (`span`) that asked for the block.
public struct CompileError: Error, Sendable, Equatable {
  public var message: String
  public var span: SourceSpan?
  public var help: [String]

  public init(_ message: String, at span: SourceSpan? = nil, help: [String] = []) {
    self.message = message
    self.span = span
    self.help = help
  }

  /// The error as a diagnostic (`compile-error`), so it renders like every other finding.
  public var diagnostic: Diagnostic {
    Diagnostic(.error, DiagnosticCode("compile-error"), message, at: span, help: help)
  }
}
