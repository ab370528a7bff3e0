package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the cycle tells a batch of moves running in a child workflow: the user's pause as it
 * stands in the cycle, how many holds a user has released so far, and whether the cycle is
 * cancelled. The cycle sends it again whenever one of them changes; the batch takes it as the
 * state to be in.
 *
 * @param userPause the user's pause standing in the cycle, else null
 * @param holdReleases how many times a resume has released a hold of the batch: one more than
 *     the batch has seen releases its hold
 * @param stop the cycle is cancelled: the batch cancels its moves (those in flight are asked to
 *     stop and waited for) and ends with what they touched. The cycle asks this of its batch
 *     instead of cancelling the child workflow, because a cancelled workflow ends cancelled
 *     whatever it returns, and could not say what it touched.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MoveBatchControl(PauseInfo userPause, int holdReleases, boolean stop) {

  public MoveBatchControl stopping(boolean value) {
    return new MoveBatchControl(userPause, holdReleases, value);
  }
}
