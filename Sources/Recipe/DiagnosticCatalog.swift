import Diagnostics

/// Every diagnostic code `porecipe check` can emit, with its severity and a one-line
/// summary (SARIF rule descriptions). `Grammar/diagnostics.md` documents each one, and a
/// test keeps the two in step and requires a fixture per code.
public enum DiagnosticCatalog {
  /// One code with its default severity and summary.
  public struct Entry: Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    public var summary: String
  }

  public static let entries: [Entry] = [
    Entry(code: .unreadableFile, severity: .error, summary: "A path cannot be read (exit code 2)."),
    Entry(code: .binaryFile, severity: .error, summary: "The file contains NUL bytes: it is not text."),
    Entry(code: .notUTF8, severity: .error, summary: "The file is not valid UTF-8."),
    Entry(code: .fileTooLarge, severity: .error, summary: "The file is larger than any recipe should be (4 MiB)."),
    Entry(code: .yamlSyntax, severity: .error, summary: "The file is not valid YAML."),
    Entry(code: .yamlTab, severity: .error, summary: "A tab character in indentation."),
    Entry(code: .yamlAnchor, severity: .error, summary: "An anchor or alias; recipes share values with 'extends'."),
    Entry(code: .yamlTag, severity: .error, summary: "An explicit tag such as '!!str'."),
    Entry(code: .yamlMergeKey, severity: .error, summary: "A merge key '<<'; recipes share values with 'extends'."),
    Entry(code: .multipleDocuments, severity: .error, summary: "More than one YAML document in a recipe."),
    Entry(code: .tooDeep, severity: .error, summary: "Nesting deeper than 64 levels."),
    Entry(code: .duplicateKey, severity: .error, summary: "A key appears twice in one mapping."),
    Entry(code: .emptyRecipe, severity: .error, summary: "The file holds no recipe."),
    Entry(code: .notAMapping, severity: .error, summary: "The file is YAML but not a mapping of sections."),
    Entry(code: .extendsNotFound, severity: .error, summary: "'extends' names no file beside the recipe and no built-in recipe."),
    Entry(code: .extendsCycle, severity: .error, summary: "'extends' leads back to a recipe already in the chain."),
    Entry(code: .unknownPath, severity: .error, summary: "A --set or schedule path names no declared parameter."),
    Entry(code: .unknownSection, severity: .error, summary: "A top-level key that is not a section."),
    Entry(code: .unknownBlock, severity: .error, summary: "A block name that the section does not have."),
    Entry(code: .unknownKey, severity: .error, summary: "A parameter that the block or section does not declare."),
    Entry(code: .wrongSlot, severity: .error, summary: "A known block in the wrong section."),
    Entry(code: .wrongType, severity: .error, summary: "A value of the wrong type."),
    Entry(code: .quotedNumber, severity: .error, summary: "A quoted number where a number is expected."),
    Entry(code: .yaml11Boolean, severity: .error, summary: "yes/no/on/off, which YAML 1.1 reads as booleans (a warning where a string is expected)."),
    Entry(code: .unknownChoice, severity: .error, summary: "A word that is not one of the parameter's choices."),
    Entry(code: .outOfRange, severity: .error, summary: "A number outside the parameter's declared range."),
    Entry(code: .missingKey, severity: .error, summary: "A required parameter is not set."),
    Entry(code: .missingBlock, severity: .error, summary: "A one-block section names no block."),
    Entry(code: .multipleBlocks, severity: .error, summary: "Two blocks where one is allowed."),
    Entry(code: .missingSection, severity: .error, summary: "A section the recipe needs for its task is absent."),
    Entry(code: .mixedObjective, severity: .error, summary: "Objective terms that cannot go together (policy-gradient slots beside a preference loss, …)."),
    Entry(code: .taskMismatch, severity: .error, summary: "The objective does not fit the task (a preference loss without pairs, …)."),
    Entry(code: .missingSlot, severity: .error, summary: "A block needs a slot that is off (gae needs objective.value)."),
    Entry(code: .conflictingValues, severity: .error, summary: "Values that contradict each other."),
    Entry(code: .notImplemented, severity: .error, summary: "A block, value or combination that the recipe's run kind (environment, token, preference; or eval) does not implement yet."),
    Entry(code: .compileError, severity: .error, summary: "An objective that does not compile into a program (a block needs what the recipe does not give it)."),
    Entry(code: .klTwice, severity: .warning, summary: "KL enters both the reward and the loss."),
    Entry(code: .klZeroCoef, severity: .warning, summary: "A KL slot that is on with coef 0."),
    Entry(code: .groupOfOne, severity: .warning, summary: "A group baseline with one sample per group."),
    Entry(code: .normMissing, severity: .warning, summary: "seq_mean_token_sum_norm without an explicit 'norm' in a recipe that trains."),
    Entry(code: .preferenceWithAdvantage, severity: .warning, summary: "A preference loss beside an advantage estimator it ignores."),
    Entry(code: .inertClip, severity: .warning, summary: "A clipping rule with one epoch of one minibatch, where the ratio is always 1."),
    Entry(code: .ditherWithDynamicSampling, severity: .warning, summary: "Reward dithering beside dynamic sampling: opposite fixes for flat groups."),
    Entry(code: .policyDropout, severity: .warning, summary: "Network dropout in a ratio-based method: the ratio is not 1 at the first step."),
    Entry(code: .unusedParameter, severity: .warning, summary: "A parameter the task kind ignores (rollout.prompts for an environment task, …)."),
    Entry(code: .exprSyntax, severity: .error, summary: "An expression that does not parse."),
    Entry(code: .unknownName, severity: .error, summary: "A name that is not an input of the expression's section."),
    Entry(code: .unknownFunction, severity: .error, summary: "A function the expression language does not have."),
    Entry(code: .wrongArity, severity: .error, summary: "A function called with the wrong number of arguments."),
    Entry(code: .unknownAxis, severity: .error, summary: "'over:' names an axis that does not exist."),
    Entry(code: .axisMismatch, severity: .error, summary: "A reduction over an axis the value does not have."),
    Entry(code: .missingAxis, severity: .error, summary: "A reduction without 'over:'."),
    Entry(code: .unknownArgument, severity: .error, summary: "A labelled argument the function does not take."),
    Entry(code: .exprType, severity: .error, summary: "A comparison where a number is needed, or the reverse."),
    Entry(code: .internalError, severity: .bug, summary: "A broken invariant of porecipe itself (please report)."),
  ]

  /// Summaries by code, for SARIF rules.
  public static var summaries: [DiagnosticCode: String] {
    Dictionary(entries.map { ($0.code, $0.summary) }) { first, _ in first }
  }
}
