package dev.evolve.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal Web UI (2.54, as the dev server of scripts/temporal.sh serves it) as a person uses
 * it: the start-workflow form, the workflow list with a List Filter, a workflow's Queries tab, its
 * Send a Signal action and its status. Elements are found by the UI's own data-testid attributes
 * where it has them, else by ARIA roles and labels. Every step can be saved as a screenshot (with
 * the page's source beside it, for diagnosis).
 */
final class TemporalWebUi {

  private static final Logger log = LoggerFactory.getLogger(TemporalWebUi.class);
  /** Generous: two cores shared with a sandbox, a worker and the dev server. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final WebDriver driver;
  private final String baseUrl;
  private final String namespace;
  private final Path screenshots;
  private int step;

  TemporalWebUi(WebDriver driver, String baseUrl, String namespace, Path screenshots) {
    this.driver = driver;
    this.baseUrl = baseUrl;
    this.namespace = namespace;
    this.screenshots = screenshots;
    try {
      // only this run's steps: a previous run's files would be taken for this one's
      if (Files.isDirectory(screenshots)) {
        try (var old = Files.list(screenshots)) {
          for (Path file : old.toList()) {
            Files.delete(file);
          }
        }
      }
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- start a workflow ----

  /** Fills the Start Workflow form, submits it and waits for the UI to say it started. */
  void startWorkflow(String workflowId, String taskQueue, String workflowType, String inputJson) {
    driver.get(baseUrl + "/namespaces/" + namespace + "/workflows/start-workflow");
    typeInto(By.cssSelector("[data-testid=workflowId]"), workflowId);
    typeInto(By.cssSelector("[data-testid=taskQueue]"), taskQueue);
    typeInto(By.cssSelector("[data-testid=workflowType]"), workflowType);
    WebElement input = visible(By.cssSelector("[role=textbox][aria-label=Data]"));
    input.click();
    input.sendKeys(inputJson);
    // Leaving the editor re-formats the JSON, which grows the editor and moves the Start button:
    // leave it first, so that the click lands on the button where it stays.
    driver.findElement(By.cssSelector("[data-testid=workflowType]")).click();
    screenshot("start-workflow-form");
    clickable(By.cssSelector("[data-testid=start-workflow-button]")).click();
    // the success toast links to the new workflow
    visible(By.linkText("Workflow started successfully"));
    screenshot("workflow-started");
  }

  // ---- the workflow list ----

  /**
   * The workflow list filtered by a List Filter typed as a raw query: waits until it shows exactly
   * the expected workflows (the unfiltered list may show first) and returns the ids it shows.
   */
  Set<String> listWorkflows(String query, Set<String> expected) {
    driver.get(baseUrl + "/namespaces/" + namespace + "/workflows");
    WebElement filter = driver.findElements(By.cssSelector("[data-testid=workflow-manual-search-input]")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElseGet(() -> {
          clickable(By.cssSelector("[data-testid=toggle-manual-query]")).click();
          return visible(By.cssSelector("[data-testid=workflow-manual-search-input]"));
        });
    filter.clear();
    filter.sendKeys(query, Keys.ENTER);
    AtomicReference<Set<String>> shown = new AtomicReference<>(Set.of());
    new WebDriverWait(driver, WAIT)
        .withMessage(() -> "the list filtered by " + query + " to show " + expected + "; it shows " + shown.get())
        .until(d -> {
          shown.set(listedWorkflowIds());
          return d.getCurrentUrl().contains("query=") && shown.get().equals(expected);
        });
    screenshot("workflow-list-filtered");
    return shown.get();
  }

  /** The ids of the workflows in the list, from each row's selection checkbox ("Select Workflow ID"). */
  private Set<String> listedWorkflowIds() {
    Set<String> ids = new TreeSet<>();
    for (WebElement box : driver.findElements(By.cssSelector(
        "[data-testid=workflows-summary-configurable-table-row] input[aria-label^='Select Workflow ']"))) {
      ids.add(box.getAttribute("aria-label").substring("Select Workflow ".length()));
    }
    return ids;
  }

  /** Opens a workflow from the list shown. */
  void openWorkflowFromList(String workflowId) {
    clickable(By.linkText(workflowId)).click();
    until("the page of " + workflowId, d -> visibleText(By.cssSelector("[data-testid=workflow-id-heading]"))
        .contains(workflowId));
  }

  // ---- a workflow's page ----

  /**
   * Runs a query in the Queries tab and returns its answer as the UI shows it (JSON text). The
   * screenshot shows the answer formatted; it is read unformatted, on one line, since the result's
   * code editor draws only the lines in view.
   */
  String query(String queryName, String screenshotName) {
    // a fresh page, so that the answer read is this run's, not one shown before
    driver.navigate().refresh();
    clickable(By.cssSelector("[data-testid=queries-tab]")).click();
    WebElement type = visible(By.cssSelector("[data-testid=query-select]"));
    if (!queryName.equals(type.getAttribute("value"))) {
      clickable(By.cssSelector("[data-testid=query-select-button]")).click();
      clickable(By.xpath("//ul[@id='query-select-select']/li[.//span[normalize-space()='" + queryName + "']]")).click();
    }
    clickable(By.xpath("//button[normalize-space()='Run Query' or normalize-space()='Refresh Query']")).click();
    until("the " + queryName + " query's answer in the Queries tab", d -> !queryResultLines().isEmpty());
    screenshot(screenshotName);
    WebElement formatting = driver.findElement(By.id("json-formatting"));
    setSwitch(formatting, false);
    String[] oneLine = {""};
    until("the " + queryName + " query's answer on one line", d -> {
      List<String> lines = queryResultLines();
      oneLine[0] = lines.size() == 1 ? lines.get(0) : "";
      return oneLine[0].startsWith("{") && oneLine[0].endsWith("}");
    });
    setSwitch(formatting, true);
    return oneLine[0];
  }

  /** Sends a signal through More Actions, Send a Signal; {@code inputJson} null sends none. */
  void signal(String signalName, String inputJson, String screenshotName) {
    clickable(By.cssSelector("button[aria-controls=workflow-actions]")).click();
    clickable(By.cssSelector("[data-testid=signal-button]")).click();
    WebElement modal = visible(By.cssSelector("[data-testid=signal-confirmation-modal]"));
    // With a worker running, the UI lists the signals the workflow defines (from the SDK's
    // __temporal_workflow_metadata query) in a select; without one it asks for the name as text.
    List<WebElement> select = modal.findElements(By.cssSelector("[data-testid=signal-select-button]"));
    if (!select.isEmpty()) {
      select.get(0).click();
      clickable(By.xpath("//ul[@id='signal-select-select']/li[.//span[normalize-space()='" + signalName + "']]"))
          .click();
      until("the signal " + signalName + " to be chosen",
          d -> signalName.equals(modal.findElement(By.cssSelector("[data-testid=signal-select]")).getAttribute("value")));
    } else {
      WebElement name = modal.findElement(By.cssSelector("[data-testid=signal-name]"));
      name.click();
      name.sendKeys(signalName);
    }
    if (inputJson != null) {
      WebElement input = modal.findElement(By.cssSelector("[role=textbox][aria-label=Data]"));
      input.click();
      input.sendKeys(inputJson);
      // leave the editor (it re-formats its JSON then), as a person would before submitting
      modal.findElement(By.tagName("h3")).click();
    }
    screenshot(screenshotName);
    WebElement submit = modal.findElement(By.cssSelector("[data-testid=confirm-modal-button]"));
    until("the signal form to be complete", d -> submit.isEnabled());
    submit.click();
    until("the signal dialog to close", d -> !modal.isDisplayed());
  }

  /** Running, Completed, Failed, ... as the workflow's page shows it. */
  String executionStatus() {
    return visibleText(By.cssSelector("[data-testid=execution-status]")).trim();
  }

  /** Waits until the workflow's page shows the status (case aside); the page updates itself. */
  void awaitExecutionStatus(String status, Duration timeout) {
    new WebDriverWait(driver, timeout).withMessage(() -> "the workflow's page to show " + status)
        .until(d -> executionStatus().equalsIgnoreCase(status));
  }

  /** Saves the page as {@code NN-name.png} (and its source as {@code NN-name.html}); returns the PNG. */
  Path screenshot(String name) {
    step++;
    String file = String.format("%02d-%s", step, name);
    Path png = screenshots.resolve(file + ".png");
    try {
      Files.write(png, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      Files.writeString(screenshots.resolve(file + ".html"), driver.getPageSource());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.info("screenshot {}", png);
    return png;
  }

  // ---- helpers ----

  /** The lines the Queries tab's result (a read-only CodeMirror editor) draws. */
  @SuppressWarnings("unchecked")
  private List<String> queryResultLines() {
    Object lines = ((JavascriptExecutor) driver).executeScript("""
        const editor = document.querySelector('[data-testid=query-result] [aria-label="Query Result"]');
        return editor ? [...editor.querySelectorAll('.cm-line')].map(l => l.textContent).filter(t => t.trim()) : [];
        """);
    return lines == null ? List.of() : (List<String>) lines;
  }

  /** A switch is a visually hidden checkbox inside its label: the label takes the click. */
  private void setSwitch(WebElement checkbox, boolean on) {
    if (checkbox.isSelected() != on) {
      checkbox.findElement(By.xpath("./ancestor::label")).click();
      until("the switch " + checkbox.getAttribute("id") + " to turn " + (on ? "on" : "off"),
          d -> checkbox.isSelected() == on);
    }
  }

  private void typeInto(By by, String text) {
    WebElement element = clickable(by);
    element.clear();
    element.sendKeys(text);
  }

  private String visibleText(By by) {
    return visible(by).getText();
  }

  private WebElement visible(By by) {
    return new WebDriverWait(driver, WAIT).withMessage("a shown " + by).until(d -> d.findElements(by).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /** The first element found that is shown and enabled: the UI keeps hidden copies of some (narrow layouts). */
  private WebElement clickable(By by) {
    return new WebDriverWait(driver, WAIT).withMessage("a shown, enabled " + by).until(d -> d.findElements(by).stream()
        .filter(e -> e.isDisplayed() && e.isEnabled()).findFirst().orElse(null));
  }

  private void until(String what, Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, WAIT).withMessage(what).until(condition::apply);
  }
}
