# HotlineQA: one image for both roles of docker-compose.yml (web = `hotlineqa serve`, worker = `hotlineqa worker`).
# .NET 10 images are Ubuntu 24.04 "noble" (Microsoft ships no Debian images for .NET 10); the OS packages below
# have the same names there as in Debian 12.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
# node + npm: the host's build runs `npm ci` for the review desk's front-end libraries (wavesurfer.js, Chart.js).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files only, so a source change does not re-download packages.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/HotlineQA.Core/HotlineQA.Core.csproj src/HotlineQA.Core/
COPY src/HotlineQA/HotlineQA.csproj src/HotlineQA/
RUN dotnet restore src/HotlineQA/HotlineQA.csproj
COPY src/ src/
RUN dotnet publish src/HotlineQA/HotlineQA.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
# ffmpeg: decoding; espeak-ng: the demo's sample calls; libopencc1.1: Traditional→Simplified; unicode-data: Unihan pinyin.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg espeak-ng libopencc1.1 unicode-data bzip2 curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The aspnet image's non-root user ("app", uid 1654) owns the two volume mount points.
RUN mkdir -p /var/lib/hotlineqa/data /var/lib/hotlineqa/inbox /app/models \
 && chown -R app:app /var/lib/hotlineqa /app/models
USER app
# /app is not writable by "app": the embedded SQLite file and the cookie keys go to the data volume.
ENV HOTLINEQA_MODELS=/app/models \
    HOTLINEQA_Storage__SqlitePath=/var/lib/hotlineqa/data/hotlineqa.db \
    HOTLINEQA_Web__DataProtectionKeysPath=/var/lib/hotlineqa/data/keys \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 5080
ENTRYPOINT ["dotnet", "/app/hotlineqa.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:5080"]
