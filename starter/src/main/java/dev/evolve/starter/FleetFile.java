package dev.evolve.starter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.evolve.workflows.fleet.FleetRequest;
import dev.evolve.workflows.fleet.FleetRequestValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A fleet file, YAML or JSON (JSON is YAML), checked whole before anything is started. */
final class FleetFile {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private FleetFile() {}

  static FleetRequest read(Path file) {
    FleetRequest fleet;
    try {
      fleet = YAML.readValue(file.toFile(), FleetRequest.class);
    } catch (IOException e) {
      throw new CliErrors.BadInputException("cannot read " + file + " as a fleet: " + e.getMessage());
    }
    List<String> problems = FleetRequestValidator.problems(fleet);
    if (!problems.isEmpty()) {
      throw new CliErrors.BadInputException("invalid fleet " + file + ", nothing was started:\n  - "
          + String.join("\n  - ", problems));
    }
    return fleet;
  }

  /** {@code evolve-fleet/<name>}; a fleet without a name needs an id given to it. */
  static String defaultWorkflowId(FleetRequest fleet, String given) {
    if (given != null) {
      return given;
    }
    if (fleet.name() == null || fleet.name().isBlank()) {
      throw new CliErrors.BadInputException("the fleet has no name: set name in the file, or give --workflow-id");
    }
    return "evolve-fleet/" + fleet.name();
  }
}
