package dev.evolve.worker;

import dev.evolve.workflows.CycleSearchAttributes;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.common.SearchAttributeKey;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow keeps EvolveCluster, EvolvePool and EvolvePhase current; a namespace without them
 * would fail every workflow task. So the worker checks at start-up and adds what is missing when
 * its credentials allow, and otherwise says exactly what an operator has to run.
 */
public final class SearchAttributeRegistration {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private SearchAttributeRegistration() {}

  public static void ensure(WorkflowServiceStubs service, String namespace) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
        .setChannel(service.getRawChannel()).validateAndBuildWithDefaults());
    try {
      ListSearchAttributesResponse existing = operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
      Map<String, IndexedValueType> missing = CycleSearchAttributes.ALL.stream()
          .map(SearchAttributeKey::getName)
          .filter(name -> !existing.getCustomAttributesMap().containsKey(name))
          .collect(Collectors.toMap(name -> name, name -> IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      if (missing.isEmpty()) {
        return;
      }
      operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
          .setNamespace(namespace).putAllSearchAttributes(missing).build());
      log.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
    } catch (StatusRuntimeException e) {
      log.warn("could not check or add the search attributes EvolveCluster, EvolvePool, EvolvePhase ({}). "
          + "If they are missing, run: temporal operator search-attribute create --namespace {} "
          + "--name EvolveCluster --type Keyword --name EvolvePool --type Keyword --name EvolvePhase --type Keyword",
          e.getStatus(), namespace);
    } finally {
      operator.shutdown();
    }
  }
}
