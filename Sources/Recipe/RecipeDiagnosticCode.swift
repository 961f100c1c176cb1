import Diagnostics

/// The stable codes of the recipe front end. `Grammar/diagnostics.md` documents each one;
/// `DiagnosticCatalog` lists them with their one-line summaries.
extension DiagnosticCode {
  // MARK: - Reading
  public static let unreadableFile: DiagnosticCode = "unreadable-file"
  public static let binaryFile: DiagnosticCode = "binary-file"
  public static let notUTF8: DiagnosticCode = "not-utf8"
  public static let fileTooLarge: DiagnosticCode = "file-too-large"
  public static let yamlSyntax: DiagnosticCode = "yaml-syntax"
  public static let yamlTab: DiagnosticCode = "yaml-tab"
  public static let yamlAnchor: DiagnosticCode = "yaml-anchor"
  public static let yamlTag: DiagnosticCode = "yaml-tag"
  public static let yamlMergeKey: DiagnosticCode = "yaml-merge-key"
  public static let multipleDocuments: DiagnosticCode = "multiple-documents"
  public static let tooDeep: DiagnosticCode = "too-deep"
  public static let duplicateKey: DiagnosticCode = "duplicate-key"
  public static let emptyRecipe: DiagnosticCode = "empty-recipe"
  public static let notAMapping: DiagnosticCode = "not-a-mapping"

  // MARK: - Composition
  public static let extendsNotFound: DiagnosticCode = "extends-not-found"
  public static let extendsCycle: DiagnosticCode = "extends-cycle"
  public static let unknownPath: DiagnosticCode = "unknown-path"

  // MARK: - Checking
  public static let unknownSection: DiagnosticCode = "unknown-section"
  public static let unknownBlock: DiagnosticCode = "unknown-block"
  public static let unknownKey: DiagnosticCode = "unknown-key"
  public static let wrongSlot: DiagnosticCode = "wrong-slot"
  public static let wrongType: DiagnosticCode = "wrong-type"
  public static let quotedNumber: DiagnosticCode = "quoted-number"
  public static let yaml11Boolean: DiagnosticCode = "yaml11-boolean"
  public static let unknownChoice: DiagnosticCode = "unknown-choice"
  public static let outOfRange: DiagnosticCode = "out-of-range"
  public static let missingKey: DiagnosticCode = "missing-key"
  public static let missingBlock: DiagnosticCode = "missing-block"
  public static let multipleBlocks: DiagnosticCode = "multiple-blocks"
  public static let missingSection: DiagnosticCode = "missing-section"
  public static let mixedObjective: DiagnosticCode = "mixed-objective"
  public static let taskMismatch: DiagnosticCode = "task-mismatch"
  public static let missingSlot: DiagnosticCode = "missing-slot"
  public static let conflictingValues: DiagnosticCode = "conflicting-values"
  public static let notImplemented: DiagnosticCode = "not-implemented"
  public static let compileError: DiagnosticCode = "compile-error"

  // MARK: - Suspicious combinations (warnings)
  public static let klTwice: DiagnosticCode = "kl-twice"
  public static let klZeroCoef: DiagnosticCode = "kl-zero-coef"
  public static let groupOfOne: DiagnosticCode = "group-of-one"
  public static let normMissing: DiagnosticCode = "norm-missing"
  public static let preferenceWithAdvantage: DiagnosticCode = "preference-with-advantage"
  public static let inertClip: DiagnosticCode = "inert-clip"
  public static let ditherWithDynamicSampling: DiagnosticCode = "dither-with-dynamic-sampling"
  public static let policyDropout: DiagnosticCode = "policy-dropout"
  public static let unusedParameter: DiagnosticCode = "unused-parameter"

  // MARK: - porecipe itself
  public static let internalError: DiagnosticCode = "internal-error"
}
