package dev.evolve.starter;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns what can go wrong into one clear line and an exit code, instead of a stack trace. */
final class CliErrors implements IExecutionExceptionHandler {

  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int UNREACHABLE = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    Throwable root = e;
    while (root.getCause() != null && !(root instanceof StatusRuntimeException)
        && !(root instanceof WorkflowNotFoundException)) {
      root = root.getCause();
    }
    if (e instanceof WorkflowUpdateException refused) {
      cmd.getErr().println("refused: " + refusalReason(refused));
      return FAILED;
    }
    if (e instanceof NotFoundException) {
      cmd.getErr().println("error: " + e.getMessage());
      return UNREACHABLE;
    }
    if (e instanceof BadInputException) {
      cmd.getErr().println("error: " + e.getMessage());
      return BAD_INPUT;
    }
    if (root instanceof WorkflowNotFoundException || e instanceof WorkflowNotFoundException) {
      cmd.getErr().println("error: no such running cycle (" + e.getMessage() + ")");
      return UNREACHABLE;
    }
    if (root instanceof StatusRuntimeException status) {
      Status.Code code = status.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        cmd.getErr().println("error: cannot reach Temporal (" + status.getStatus().getDescription()
            + "); set TEMPORAL_ADDRESS or --address");
        return UNREACHABLE;
      }
      if (code == Status.Code.NOT_FOUND) {
        cmd.getErr().println("error: " + status.getStatus().getDescription());
        return UNREACHABLE;
      }
    }
    if (e instanceof WorkflowServiceException) {
      cmd.getErr().println("error: " + e.getMessage());
      return UNREACHABLE;
    }
    cmd.getErr().println("error: " + e);
    return FAILED;
  }

  /** The validator's own words: the innermost failure's message. */
  static String refusalReason(WorkflowUpdateException refused) {
    Throwable cause = refused;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof ApplicationFailure app ? app.getOriginalMessage() : cause.getMessage();
  }

  /** What the user named does not exist on the server. */
  static final class NotFoundException extends RuntimeException {
    NotFoundException(String message) {
      super(message);
    }
  }

  /** A problem with what the user typed; nothing was sent to Temporal. */
  static final class BadInputException extends RuntimeException {
    BadInputException(String message) {
      super(message);
    }
  }
}
