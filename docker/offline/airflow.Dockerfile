# An equivalent of apache/airflow:3.3.2 for machines that reach no registry: same Airflow
# version, the Python packages of uv.lock's `imagem` group, the same user, paths and entrypoint
# contract (arguments run as `airflow ...`; bash/python run as given).
ARG BASE
FROM ${BASE}
ENV AIRFLOW_HOME=/opt/airflow \
    LANG=C.UTF-8 \
    PATH=/home/airflow/.local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONUNBUFFERED=1 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
RUN useradd --uid 50000 --gid 0 --home-dir /home/airflow --create-home --shell /bin/bash airflow \
 && mkdir -p /opt/airflow/logs /opt/airflow/config /opt/airflow/plugins \
 && chown -R 50000:0 /opt/airflow && chmod -R g+rwX /opt/airflow
COPY uv /usr/local/bin/uv
COPY requirements.txt /tmp/requirements.txt
RUN uv venv --python /usr/bin/python3 /home/airflow/.local \
 && uv pip install --python /home/airflow/.local/bin/python --no-cache --compile-bytecode -r /tmp/requirements.txt \
 && chown -R 50000:0 /home/airflow
COPY airflow-entrypoint.sh /entrypoint
USER 50000
WORKDIR /opt/airflow
EXPOSE 8080
ENTRYPOINT ["/usr/bin/dumb-init", "--", "/entrypoint"]
CMD ["--help"]
