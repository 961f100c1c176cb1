import ArgumentParser

/// `--set path=value`, shared by the commands that read one recipe.
struct OverrideOptions: ParsableArguments {
  @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter: path=value (YAML value).", valueName: "path=value"))
  var overrides: [String] = []

  func validate() throws {
    for override in overrides where !override.contains("=") || override.hasPrefix("=") {
      throw ValidationError("--set takes path=value, e.g. --set objective.clip.high=0.28; got '\(override)'")
    }
  }
}
