package io.caravan.tap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tap hides, and what it leaves: a row per case, input and what the tap shows. */
class RedactionTest {

    @ParameterizedTest(name = "label {0}=\"{1}\" shows as \"{2}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            password                               | hunter2                   | ***
            db_passwd                              | hunter2                   | ***
            __meta_kubernetes_pod_annotation_api_token | abc123                | ***
            client_secret                          | s3cr3t                    | ***
            Authorization                          | Bearer abc.def            | ***
            bearer                                 | abc                       | ***
            api_key                                | k-1                       | ***
            apikey                                 | k-1                       | ***
            X-Api-Key                              | k-1                       | ***
            aws_credentials                        | AKIA/xyz                  | ***
            tls_private_key                        | -----BEGIN                | ***
            __param_token                          | t0k3n                     | ***
            __meta_kubernetes_secret_name          | db-credentials            | ***
            __meta_kubernetes_secret_label_app     | shop                      | ***
            bearer_token_file                      | /var/run/secrets/token    | /var/run/secrets/token
            passwordFile                           | /etc/pw                   | /etc/pw
            __address__                            | 10.0.0.1:9100             | 10.0.0.1:9100
            job                                    | kubelet                   | kubelet
            __meta_kubernetes_pod_name             | checkout-1                | checkout-1
            url                                    | https://bob:pw@mimir:443/push | https://bob:***@mimir:443/push
            """)
    void labelValues(String name, String value, String shown) {
        assertThat(Redaction.labelValue(name, value)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            GET /login?user=bob&password=hunter2&next=/ 200                  | GET /login?user=bob&password=***&next=/ 200
            Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig                    | Authorization: Bearer ***
            authorization=Basic dXNlcjpwYXNz                                 | authorization=Basic ***
            Proxy-Authorization: Basic dXNlcjpwYXNz                          | Proxy-Authorization: Basic ***
            `{"authorization":"Bearer abc123","user":"bob"}`                 | `{"authorization":"Bearer ***","user":"bob"}`
            curl -H 'X-Token: abc' https://svc                               | curl -H 'X-Token: ***' https://svc
            sent with bearer abcdefgh to the API                             | sent with bearer *** to the API
            token=abc123 user=bob                                            | token=*** user=bob
            bearer=abc123 x=1                                                | bearer=*** x=1
            `{"password": "p@ss w0rd", "user": "bob"}`                       | `{"password": "***", "user": "bob"}`
            `{"api_key":"k-1","level":"info"}`                               | `{"api_key":"***","level":"info"}`
            client_secret: s3cr3t; scope=read                                | client_secret: ***; scope=read
            fetching https://bob:hunter2@git.example/repo.git                | fetching https://bob:***@git.example/repo.git
            remote-write:mimir?url=RAW(https://u:p@mimir/push)&externalLabels=dc=a | remote-write:mimir?url=RAW(https://u:***@mimir/push)&externalLabels=dc=a
            loki:x?basicAuthPassword=pw&bearerTokenFile=/var/run/secrets/token | loki:x?basicAuthPassword=***&bearerTokenFile=/var/run/secrets/token
            password=                                                        | password=
            user logged in from 10.0.0.7                                     | user logged in from 10.0.0.7
            the token expired                                                | the token expired
            https://mimir.example/api/v1/push                                | https://mimir.example/api/v1/push
            """)
    void text(String line, String shown) {
        assertThat(Redaction.text(line)).isEqualTo(shown);
    }
}
