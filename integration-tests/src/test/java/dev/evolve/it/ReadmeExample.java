package dev.evolve.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cycle input exactly as the README's section "The real Temporal server" documents it, so
 * that the tests run what a reader pastes, and fail when the README drifts.
 */
final class ReadmeExample {

  private static final String SECTION = "## The real Temporal server";
  private static final Pattern START_COMMAND = Pattern.compile(
      "temporal workflow start --type NodePoolUpgrade --task-queue evolve-node-pools --workflow-id (\\S+) \\\\\\n"
          + "\\s*--input '([^']+)'");
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.+?)\\n```", Pattern.DOTALL);

  private ReadmeExample() {}

  record StartCommand(String workflowId, String input) {}

  /** The {@code temporal workflow start} command of the section: its workflow id and its --input. */
  static StartCommand startCommand() {
    Matcher command = START_COMMAND.matcher(section());
    if (!command.find()) {
      throw new AssertionError("README section '" + SECTION + "' has no `temporal workflow start` command "
          + "with --type NodePoolUpgrade --task-queue evolve-node-pools");
    }
    return new StartCommand(command.group(1), command.group(2));
  }

  /** The JSON block to paste in the Web UI's Start Workflow form. */
  static JsonNode uiInput() {
    Matcher block = JSON_BLOCK.matcher(section());
    if (!block.find()) {
      throw new AssertionError("README section '" + SECTION + "' has no ```json block");
    }
    try {
      return TemporalCli.JSON.readTree(block.group(1));
    } catch (IOException e) {
      throw new AssertionError("the README's JSON block does not parse: " + e.getMessage());
    }
  }

  private static String section() {
    try {
      String readme = Files.readString(TestPaths.root().resolve("README.md"));
      int start = readme.indexOf(SECTION);
      if (start < 0) {
        throw new AssertionError("README.md has no section '" + SECTION + "'");
      }
      int end = readme.indexOf("\n## ", start + SECTION.length());
      return readme.substring(start, end < 0 ? readme.length() : end);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
