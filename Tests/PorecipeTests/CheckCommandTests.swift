import ArgumentParser
import Testing

@testable import porecipe

/// The `check` and `schema` commands' argument parsing and help text.
@Suite struct CheckCommandTests {
  @Test("check parses paths, repeated --set, --format and --strict")
  func parse() throws {
    let command = try Check.parse(["recipes/", "a.yaml", "--set", "objective.clip.high=0.3", "--set", "train.seed=1",
                                   "--format", "sarif", "--strict"])
    #expect(command.paths == ["recipes/", "a.yaml"])
    #expect(command.options.overrides == ["objective.clip.high=0.3", "train.seed=1"])
    #expect(command.format == .sarif)
    #expect(command.strict)
  }

  @Test("an unknown format is a usage error, which the root maps to exit 2")
  func badFormat() {
    do {
      _ = try Check.parse(["x.yaml", "--format", "xml"])
      Issue.record("--format xml parsed")
    } catch {
      #expect(Porecipe.exitCode(for: error) == ExitCode(64))
    }
  }

  @Test("--set without '=' is a usage error")
  func badSet() {
    do {
      _ = try Check.parse(["x.yaml", "--set", "objective.clip.high"])
      Issue.record("--set without = parsed")
    } catch {
      #expect(Porecipe.exitCode(for: error) == ExitCode(64))
      #expect(Porecipe.message(for: error) == "--set takes path=value, e.g. --set objective.clip.high=0.28; got 'objective.clip.high'")
    }
  }

  @Test("check --help is exactly this")
  func help() {
    #expect(Porecipe.helpMessage(for: Check.self, columns: 100) == """
      OVERVIEW: Check recipes: unknown keys, types, ranges, suspicious combinations.

      Each PATH is a recipe file, or a directory searched recursively for *.yaml and *.yml (hidden
      directories and .build are skipped).

      Exit codes: 0 no findings, 1 findings (warnings only with --strict), 2 usage error or unreadable
      path.

      Examples:
        porecipe check recipes/
        porecipe check my.yaml --set objective.clip.high=0.28
        porecipe check recipes/ --format sarif > porecipe.sarif

      USAGE: porecipe check <paths> ... [--set <path=value> ...] [--format <format>] [--strict]

      ARGUMENTS:
        <paths>                 Recipe files or directories.

      OPTIONS:
        --set <path=value>      Override a parameter: path=value (YAML value).
        --format <format>       Output format. (values: text, json, sarif; default: text)
        --strict                Fail on warnings too.
        -h, --help              Show help information.

      """)
  }

  @Test("the root command lists check and schema")
  func root() {
    let help = Porecipe.helpMessage()
    #expect(help.contains("check"))
    #expect(help.contains("schema"))
  }
}
