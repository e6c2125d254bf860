package io.caravan.discovery;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The other objects a role borrows labels from, looked up in the related informers' caches: the service of an
 * Endpoints object or EndpointSlice, the pod an endpoint points at, the node of a pod or endpoint (attach_metadata).
 * Each lookup gives null when the object is unknown or its kind is not watched.
 */
interface RelatedObjects {

    RelatedObjects NONE = new RelatedObjects() {
        @Override
        public Service service(String namespace, String name) {
            return null;
        }

        @Override
        public Pod pod(String namespace, String name) {
            return null;
        }

        @Override
        public Node node(String name) {
            return null;
        }
    };

    Service service(String namespace, String name);

    Pod pod(String namespace, String name);

    Node node(String name);
}
