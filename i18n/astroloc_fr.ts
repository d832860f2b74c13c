<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>AstroLocDock</name>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="28"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="35"/>
        <source>Locate</source>
        <translation>Localiser</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="36"/>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
</context>
<context>
    <name>AstroLocPlugin</name>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="103"/>
        <source>AstroLoc panel</source>
        <translation>Panneau AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="105"/>
        <source>Locate photos…</source>
        <translation>Localiser des photos…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="107"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
</context>
<context>
    <name>AstroLocProcessing</name>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="35"/>
        <source>Build tile index</source>
        <translation>Construire un index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="38"/>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="44"/>
        <source>Tile and embed georeferenced rasters into a new AstroLoc tile index.</source>
        <translation>Découpe en tuiles des rasters géoréférencés et calcule leurs descripteurs dans un nouvel index de tuiles AstroLoc.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="47"/>
        <source>Tiles georeferenced rasters at several scales, embeds every tile with the global descriptor model and writes a tile index folder (manifest, FAISS index, tile table tiles.gpkg).

&lt;b&gt;Raster sources&lt;/b&gt;: raster layers or files (GeoTIFF/COG, VRT, MBTiles), any CRS.
&lt;b&gt;Folder of rasters&lt;/b&gt; (optional): every raster file directly in this folder is added too.
&lt;b&gt;Index folder&lt;/b&gt;: where the index is written (an existing index there is replaced atomically).
&lt;b&gt;Model&lt;/b&gt; (optional): global descriptor, e.g. xfeat-vlad or sift-vlad; empty = the default chosen by the benchmark. An index only answers queries with the model it was built with.
&lt;b&gt;Tile size&lt;/b&gt; (optional): base tile size in source pixels (default 256).
&lt;b&gt;Scales&lt;/b&gt; (optional): tile sizes as multiples of the tile size, separated by spaces (default 1 2 4).
&lt;b&gt;Engine Python&lt;/b&gt; (optional): interpreter of the engine environment; default: the one set in AstroLoc settings.

Outputs: the index folder, the number of tiles, and the coverage layer (tiles.gpkg).
Cancelling stops the build; running it again resumes.</source>
        <translation>Découpe des rasters géoréférencés en tuiles à plusieurs échelles, calcule pour chaque tuile le descripteur global du modèle et écrit un dossier d'index de tuiles (manifeste, index FAISS, table des tuiles tiles.gpkg).

&lt;b&gt;Sources raster&lt;/b&gt; : couches ou fichiers raster (GeoTIFF/COG, VRT, MBTiles), dans n'importe quel SCR.
&lt;b&gt;Dossier de rasters&lt;/b&gt; (facultatif) : tous les fichiers raster situés directement dans ce dossier sont ajoutés aussi.
&lt;b&gt;Dossier de l'index&lt;/b&gt; : où l'index est écrit (un index déjà présent y est remplacé de façon atomique).
&lt;b&gt;Modèle&lt;/b&gt; (facultatif) : descripteur global, par ex. xfeat-vlad ou sift-vlad ; vide = celui retenu par le banc d'essai. Un index ne répond qu'aux requêtes faites avec le modèle qui l'a construit.
&lt;b&gt;Taille de tuile&lt;/b&gt; (facultatif) : taille de base des tuiles en pixels source (256 par défaut).
&lt;b&gt;Échelles&lt;/b&gt; (facultatif) : tailles de tuile en multiples de la taille de base, séparées par des espaces (1 2 4 par défaut).
&lt;b&gt;Python du moteur&lt;/b&gt; (facultatif) : interpréteur de l'environnement du moteur ; par défaut, celui des paramètres d'AstroLoc.

Sorties : le dossier de l'index, le nombre de tuiles et la couche d'emprise (tiles.gpkg).
L'annulation arrête la construction ; la relancer reprend là où elle s'était arrêtée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="70"/>
        <source>Raster sources</source>
        <translation>Sources raster</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="72"/>
        <source>Folder of rasters</source>
        <translation>Dossier de rasters</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="74"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="75"/>
        <source>Tile size</source>
        <translation>Taille de tuile</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="78"/>
        <source>Scales</source>
        <translation>Échelles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="107"/>
        <source>Engine Python</source>
        <translation>Python du moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="81"/>
        <source>Index folder</source>
        <translation>Dossier de l'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="82"/>
        <source>Tiles</source>
        <translation>Tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="83"/>
        <source>Index coverage</source>
        <translation>Couverture de l'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="92"/>
        <source>The folder {0} does not exist</source>
        <translation>Le dossier {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="95"/>
        <source>No raster sources: give raster layers or a folder of rasters</source>
        <translation>Aucune source raster : indiquez des couches raster ou un dossier de rasters</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="107"/>
        <source>Indexing {0} raster(s) into {1}</source>
        <translation>Indexation de {0} raster(s) dans {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="25"/>
        <source>Export confirmed footprints</source>
        <translation>Exporter les emprises confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="28"/>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="34"/>
        <source>Export the confirmed and edited footprints of a review session as a GeoPackage.</source>
        <translation>Exporte au format GeoPackage les emprises confirmées et modifiées d'une session de revue.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="37"/>
        <source>Writes the footprints of every photo confirmed or edited in a review session to a GeoPackage layer confirmed_footprints (Polygon, EPSG:4326) with a stable schema: photo file name and SHA-256, capture time from EXIF, area in km², nadir latitude/longitude, altitude, tilt, azimuth, confidence, method, model id, status, reviewer and decision time (docs/EXPORT_SCHEMA.md). Pending and rejected photos are left out. The session is only read, never changed.

&lt;b&gt;Review session&lt;/b&gt;: the session GeoPackage.
&lt;b&gt;Confirmed footprints&lt;/b&gt;: the GeoPackage to write (replaced if it exists).
&lt;b&gt;Also write GeoJSON&lt;/b&gt; / &lt;b&gt;Also write CSV&lt;/b&gt;: the same rows next to it as .geojson (RFC 7946) and .csv (polygon as WKT).

A missing or non-writable output folder is an error and nothing is written.</source>
        <translation>Écrit les emprises de toutes les photos confirmées ou modifiées d'une session de revue dans une couche GeoPackage confirmed_footprints (Polygon, EPSG:4326) au schéma stable : nom de fichier et SHA-256 de la photo, date de prise de vue (EXIF), surface en km², latitude/longitude du nadir, altitude, inclinaison, azimut, confiance, méthode, identifiant du modèle, statut, relecteur et date de décision (docs/EXPORT_SCHEMA.md). Les photos en attente et rejetées sont écartées. La session est seulement lue, jamais modifiée.

&lt;b&gt;Session de revue&lt;/b&gt; : le GeoPackage de la session.
&lt;b&gt;Emprises confirmées&lt;/b&gt; : le GeoPackage à écrire (remplacé s'il existe).
&lt;b&gt;Écrire aussi du GeoJSON&lt;/b&gt; / &lt;b&gt;Écrire aussi du CSV&lt;/b&gt; : les mêmes lignes, à côté, en .geojson (RFC 7946) et en .csv (polygone en WKT).

Un dossier de sortie absent ou non inscriptible est une erreur, et rien n'est écrit.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="109"/>
        <source>Review session</source>
        <translation>Session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="58"/>
        <source>Also write GeoJSON</source>
        <translation>Écrire aussi du GeoJSON</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="59"/>
        <source>Also write CSV</source>
        <translation>Écrire aussi du CSV</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="60"/>
        <source>Confirmed footprints</source>
        <translation>Emprises confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="62"/>
        <source>Footprints exported</source>
        <translation>Emprises exportées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="68"/>
        <source>The output must be a GeoPackage (.gpkg): {0}</source>
        <translation>La sortie doit être un GeoPackage (.gpkg) : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="224"/>
        <source>{0}: {1}</source>
        <translation>{0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="80"/>
        <source>{0} confirmed footprint(s) exported</source>
        <translation>{0} emprise(s) confirmée(s) exportée(s)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="35"/>
        <source>The photo folder {0} does not exist</source>
        <translation>Le dossier de photos {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="55"/>
        <source>Localize photos</source>
        <translation>Localiser des photos</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="58"/>
        <source>Localization</source>
        <translation>Localisation</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="64"/>
        <source>Find where photos were taken and write the results into a review session.</source>
        <translation>Trouve où les photos ont été prises et écrit les résultats dans une session de revue.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="97"/>
        <source>Photo folder</source>
        <translation>Dossier de photos</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="99"/>
        <source>Photo files</source>
        <translation>Fichiers photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="101"/>
        <source>Tile index</source>
        <translation>Index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="103"/>
        <source>Candidates</source>
        <translation>Candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="105"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="109"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="111"/>
        <source>Photos located</source>
        <translation>Photos localisées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="112"/>
        <source>Photos not found</source>
        <translation>Photos non trouvées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="113"/>
        <source>Photos failed</source>
        <translation>Photos en échec</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="187"/>
        <source>No photos: give a photo folder or photo files</source>
        <translation>Aucune photo : indiquez un dossier de photos ou des fichiers photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="190"/>
        <source>The index folder {0} does not exist</source>
        <translation>Le dossier d'index {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="202"/>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="211"/>
        <source>[{0}/{1}] {2}</source>
        <translation>[{0}/{1}] {2}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="213"/>
        <source>{0} does not exist; skipped</source>
        <translation>{0} n'existe pas ; ignoré</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="230"/>
        <source>{0}: {1}, written to the session</source>
        <translation>{0} : {1}, écrit dans la session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="230"/>
        <source>located</source>
        <translation>localisée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="230"/>
        <source>not found</source>
        <translation>non trouvée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="239"/>
        <source>Cancelled; {0} result(s) were written to the session</source>
        <translation>Annulé ; {0} résultat(s) ont été écrits dans la session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/cli.py" line="31"/>
        <source>The AstroLoc engine environment is not set up (looked in: {0}). Set the ENGINE_PYTHON parameter or create the environment in AstroLoc settings.</source>
        <translation>L'environnement du moteur AstroLoc n'est pas installé (cherché dans : {0}). Renseignez le paramètre ENGINE_PYTHON ou créez l'environnement dans les paramètres d'AstroLoc.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/cli.py" line="48"/>
        <source>Cannot start the engine {0}: {1}</source>
        <translation>Impossible de démarrer le moteur {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/cli.py" line="82"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/cli.py" line="85"/>
        <source>The engine failed (exit {0}): {1}</source>
        <translation>Le moteur a échoué (code de sortie {0}) : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/provider.py" line="19"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/provider.py" line="22"/>
        <source>AstroLoc: find where photos were taken</source>
        <translation>AstroLoc : trouver où les photos ont été prises</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="129"/>
        <source>Max off-nadir angle (degrees)</source>
        <translation>Angle maximal hors nadir (degrés)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="135"/>
        <source>TLE files (*.tle *.txt);;All files (*)</source>
        <translation>Fichiers TLE (*.tle *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="138"/>
        <source>CSV files (*.csv *.txt *.tsv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt *.tsv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="161"/>
        <source>a point and its radius go together</source>
        <translation>un point et son rayon vont ensemble</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="67"/>
        <source>Finds where each photo was taken: retrieves the most similar tiles of the index, verifies them by feature matching and estimates the footprint and the camera pose. Every result is written into the review session as soon as it arrives (status pending), ready for review in the AstroLoc panel&apos;s Review tab.

&lt;b&gt;Photo folder&lt;/b&gt; (optional): every JPEG/PNG/TIFF/WebP photo directly in this folder.
&lt;b&gt;Photo files&lt;/b&gt; (optional): paths separated by semicolons or new lines.
&lt;b&gt;Tile index&lt;/b&gt;: an index folder built with &quot;Build tile index&quot; or the engine command line.
&lt;b&gt;Candidates&lt;/b&gt;: number of ranked candidate tiles kept per photo (default 10).
&lt;b&gt;Reviewer&lt;/b&gt; (optional): name recorded in the session; default: AstroLoc settings.
&lt;b&gt;Engine Python&lt;/b&gt; (optional): interpreter of the engine environment; default: AstroLoc settings.
&lt;b&gt;Review session&lt;/b&gt;: GeoPackage; created if missing, results are added to an existing one.

&lt;b&gt;Search area&lt;/b&gt; (all optional; several give the area they share): &lt;b&gt;Camera nadir (lat,lon)&lt;/b&gt; with &lt;b&gt;Camera altitude km&lt;/b&gt; (410 or 400-420; default the ISS) and &lt;b&gt;Max off-nadir angle (degrees)&lt;/b&gt;; &lt;b&gt;Near a point (lat,lon)&lt;/b&gt; with &lt;b&gt;Radius km&lt;/b&gt;; &lt;b&gt;Area of interest (polygon layer)&lt;/b&gt;: all its polygons; &lt;b&gt;TLE file&lt;/b&gt; of the spacecraft, with &lt;b&gt;Capture time (UTC)&lt;/b&gt; when the photos have no EXIF time; &lt;b&gt;NASA frame catalogue (CSV)&lt;/b&gt;: used for photos named like ISS062-E-150758. Only tiles inside the area are searched; a bad value stops the algorithm with a message.

Outputs: the session, and the numbers of photos located, not found and failed. A photo that fails is reported in the log and the others go on. Cancelling stops after the current photo&apos;s engine request is cancelled; results already written stay in the session.</source>
        <translation>Trouve où chaque photo a été prise : recherche les tuiles les plus semblables de l'index, les vérifie par appariement de points caractéristiques, puis estime l'emprise et la pose de la caméra. Chaque résultat est écrit dans la session de revue dès son arrivée (statut « en attente »), prêt à être revu dans l'onglet Revue du panneau AstroLoc.

&lt;b&gt;Dossier de photos&lt;/b&gt; (facultatif) : toutes les photos JPEG/PNG/TIFF/WebP situées directement dans ce dossier.
&lt;b&gt;Fichiers photo&lt;/b&gt; (facultatif) : chemins séparés par des points-virgules ou des retours à la ligne.
&lt;b&gt;Index de tuiles&lt;/b&gt; : un dossier d'index construit avec « Construire un index de tuiles » ou la ligne de commande du moteur.
&lt;b&gt;Candidats&lt;/b&gt; : nombre de tuiles candidates classées conservées par photo (10 par défaut).
&lt;b&gt;Relecteur&lt;/b&gt; (facultatif) : nom enregistré dans la session ; par défaut, celui des paramètres d'AstroLoc.
&lt;b&gt;Python du moteur&lt;/b&gt; (facultatif) : interpréteur de l'environnement du moteur ; par défaut, celui des paramètres d'AstroLoc.
&lt;b&gt;Session de revue&lt;/b&gt; : GeoPackage ; créé s'il n'existe pas, les résultats sont ajoutés à une session existante.

&lt;b&gt;Zone de recherche&lt;/b&gt; (tout facultatif ; plusieurs donnent la zone qu'ils ont en commun) : &lt;b&gt;Nadir de la caméra (lat,lon)&lt;/b&gt; avec &lt;b&gt;Altitude de la caméra km&lt;/b&gt; (410 ou 400-420 ; par défaut l'ISS) et &lt;b&gt;Angle maximal hors nadir (degrés)&lt;/b&gt; ; &lt;b&gt;Près d'un point (lat,lon)&lt;/b&gt; avec &lt;b&gt;Rayon km&lt;/b&gt; ; &lt;b&gt;Zone d'intérêt (couche de polygones)&lt;/b&gt; : tous ses polygones ; &lt;b&gt;Fichier TLE&lt;/b&gt; de l'engin spatial, avec &lt;b&gt;Date de prise de vue (UTC)&lt;/b&gt; quand les photos n'ont pas de date EXIF ; &lt;b&gt;Catalogue de clichés NASA (CSV)&lt;/b&gt; : pour les photos nommées comme ISS062-E-150758. Seules les tuiles situées dans la zone sont examinées ; une valeur incorrecte arrête l'algorithme avec un message.

Sorties : la session, et le nombre de photos localisées, non trouvées et en échec. Une photo en échec est signalée dans le journal et les autres continuent. L'annulation s'arrête une fois annulée la requête en cours au moteur ; les résultats déjà écrits restent dans la session.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="127"/>
        <source>Camera nadir (lat,lon)</source>
        <translation>Nadir de la caméra (lat,lon)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="128"/>
        <source>Camera altitude km</source>
        <translation>Altitude de la caméra km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="130"/>
        <source>Near a point (lat,lon)</source>
        <translation>Près d'un point (lat,lon)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="131"/>
        <source>Radius km</source>
        <translation>Rayon km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="132"/>
        <source>Area of interest (polygon layer)</source>
        <translation>Zone d'intérêt (couche de polygones)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="135"/>
        <source>TLE file</source>
        <translation>Fichier TLE</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="137"/>
        <source>Capture time (UTC)</source>
        <translation>Date de prise de vue (UTC)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="138"/>
        <source>NASA frame catalogue (CSV)</source>
        <translation>Catalogue de clichés NASA (CSV)</translation>
    </message>
</context>
<context>
    <name>EngineEnv</name>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="34"/>
        <source>No system Python 3 found to create the engine environment.</source>
        <translation>Aucun Python 3 système trouvé pour créer l'environnement du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="48"/>
        <source>Creating the AstroLoc engine environment</source>
        <translation>Création de l'environnement du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="58"/>
        <source>requirements/engine.txt is missing from the plugin; reinstall the plugin.</source>
        <translation>Il manque requirements/engine.txt dans l'extension ; réinstallez l'extension.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="86"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="89"/>
        <source>The command failed (exit code {}): {}</source>
        <translation>La commande a échoué (code de sortie {}) : {}</translation>
    </message>
</context>
<context>
    <name>EnvSetupDialog</name>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="23"/>
        <source>Create the AstroLoc engine environment</source>
        <translation>Créer l'environnement du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="27"/>
        <source>the Python Package Index (internet)</source>
        <translation>le Python Package Index (internet)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="52"/>
        <source>Done: the engine environment is ready.</source>
        <translation>Terminé : l'environnement du moteur est prêt.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="58"/>
        <source>Failed: {}</source>
        <translation>Échec : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="58"/>
        <source>see the log above</source>
        <translation>voir le journal ci-dessus</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="28"/>
        <source>Folder: {}
Packages from: {}
This installs about 1.4 GB of packages and takes a few minutes.</source>
        <translation>Dossier : {}
Paquets depuis : {}
Cela installe environ 1,4 Go de paquets et prend quelques minutes.</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="49"/>
        <source>Session file not found: {0}</source>
        <translation>Fichier de session introuvable : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="68"/>
        <source>Cannot read the session {0}: {1}</source>
        <translation>Impossible de lire la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="100"/>
        <source>Unknown export format(s): {0}</source>
        <translation>Format(s) d'export inconnu(s) : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="103"/>
        <source>Cannot export: the folder {0} does not exist</source>
        <translation>Export impossible : le dossier {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="105"/>
        <source>Cannot export: the folder {0} is not writable</source>
        <translation>Export impossible : le dossier {0} n'est pas accessible en écriture</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="109"/>
        <source>Cannot export over the session file itself</source>
        <translation>Impossible d'exporter par-dessus le fichier de session lui-même</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="112"/>
        <source>Cannot export: {0} already exists</source>
        <translation>Export impossible : {0} existe déjà</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="162"/>
        <source>Cannot write {0}: {1}</source>
        <translation>Impossible d'écrire {0} : {1}</translation>
    </message>
</context>
<context>
    <name>LocalizationController</name>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="69"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="81"/>
        <source>The AstroLoc engine environment is not set up. Open AstroLoc settings and click &apos;Create environment&apos; (or set the engine Python).</source>
        <translation>L'environnement du moteur AstroLoc n'est pas installé. Ouvrez les paramètres d'AstroLoc et cliquez sur « Créer l'environnement » (ou indiquez le Python du moteur).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="81"/>
        <source>Set up engine…</source>
        <translation>Installer le moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="111"/>
        <source>{} is a folder. Drop photo files (JPEG, PNG, TIFF), not folders.</source>
        <translation>{} est un dossier. Déposez des fichiers photo (JPEG, PNG, TIFF), pas des dossiers.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="113"/>
        <source>{} does not exist.</source>
        <translation>{} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="115"/>
        <source>{} is not an image AstroLoc can read. Use a JPEG, PNG or TIFF photo.</source>
        <translation>{} n'est pas une image lisible par AstroLoc. Utilisez une photo JPEG, PNG ou TIFF.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="120"/>
        <source>No tile index chosen. Pick the index folder in the AstroLoc panel (the … button next to 'Index'), or build one with the engine command line.</source>
        <translation>Aucun index de tuiles choisi. Choisissez le dossier d'index dans le panneau AstroLoc (le bouton … à côté d'« Index »), ou construisez-en un avec la ligne de commande du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="123"/>
        <source>The index folder {} does not exist. Pick another index in the AstroLoc panel.</source>
        <translation>Le dossier d'index {} n'existe pas. Choisissez un autre index dans le panneau AstroLoc.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="183"/>
        <source>Locating {}…</source>
        <translation>Localisation de {}…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="190"/>
        <source> ({} more waiting)</source>
        <translation> ({} autre(s) en attente)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="207"/>
        <source>Cancelled {}.</source>
        <translation>{} annulée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="210"/>
        <source>Could not locate {}: {}</source>
        <translation>Impossible de localiser {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="210"/>
        <source>no result</source>
        <translation>aucun résultat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="221"/>
        <source>Could not draw the result for {}: {}</source>
        <translation>Impossible d'afficher le résultat de {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="223"/>
        <source>Could not draw the result for {}.</source>
        <translation>Impossible d'afficher le résultat de {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="226"/>
        <source>No match for {} in this index.</source>
        <translation>Aucune correspondance pour {} dans cet index.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="300"/>
        <source>Located {}.</source>
        <translation>{} localisée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="272"/>
        <source>{} has no {}: is it an AstroLoc index? Build one with the engine command line.</source>
        <translation>{} n'a pas de {} : est-ce bien un index AstroLoc ? Construisez-en un avec la ligne de commande du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="275"/>
        <source>Index coverage — {}</source>
        <translation>Couverture de l'index — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="277"/>
        <source>Cannot read {}.</source>
        <translation>Impossible de lire {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="297"/>
        <source>No trustworthy footprint for {}: {}. The candidates are drawn.</source>
        <translation>Aucune emprise fiable pour {} : {}. Les candidats sont affichés.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="297"/>
        <source>nothing verified</source>
        <translation>rien n’a été vérifié</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="307"/>
        <source>{}% of the photo is cloud and was left out of the search.</source>
        <translation>{} % de la photo est nuageuse et a été exclue de la recherche.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="172"/>
        <source>Search area: {}</source>
        <translation>Zone de recherche : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="303"/>
        <source>Searched {} ({} tiles).</source>
        <translation>Recherche dans {} ({} tuiles).</translation>
    </message>
</context>
<context>
    <name>LocatePanel</name>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="138"/>
        <source>Drop photos here
or click to choose files</source>
        <translation>Déposez des photos ici
ou cliquez pour choisir des fichiers</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="144"/>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="149"/>
        <source>Tile index folder (recent indexes first)</source>
        <translation>Dossier de l'index de tuiles (index récents en premier)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="154"/>
        <source>Choose an index folder</source>
        <translation>Choisir un dossier d'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="385"/>
        <source>Ready.</source>
        <translation>Prêt.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="393"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="413"/>
        <source>Photo opacity</source>
        <translation>Opacité de la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="421"/>
        <source>AstroLoc settings</source>
        <translation>Paramètres d'AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="432"/>
        <source>Choose photos to locate</source>
        <translation>Choisir les photos à localiser</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="432"/>
        <source>Images ({})</source>
        <translation>Images ({})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="432"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="441"/>
        <source>{} photo(s) waiting</source>
        <translation>{} photo(s) en attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="452"/>
        <source>(no index chosen)</source>
        <translation>(aucun index choisi)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="464"/>
        <source>Choose a tile index folder</source>
        <translation>Choisir un dossier d'index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="486"/>
        <source>No photo yet.</source>
        <translation>Pas encore de photo.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="499"/>
        <source>no preview</source>
        <translation>pas d'aperçu</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="506"/>
        <source>AstroLoc: photo preview</source>
        <translation>AstroLoc : aperçu de la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="540"/>
        <source>Rank after verification: candidates are re-ordered by the number of inliers their match with the photo kept</source>
        <translation>Rang après vérification : les candidats sont reclassés selon le nombre de points valides (inliers) conservés par leur appariement avec la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="542"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="542"/>
        <source>The refined footprint (the answer) first, then the candidates</source>
        <translation>D'abord l'emprise affinée (la réponse), puis les candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="543"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="543"/>
        <source>Probability that the result is right. Footprint: after refinement (accepted from 0.50). Candidate: its coarse verification match only, so usually much lower</source>
        <translation>Probabilité que le résultat soit juste. Emprise : après affinage (acceptée à partir de 0,50). Candidat : d'après son seul appariement grossier de vérification, donc en général bien plus faible</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="546"/>
        <source>Inliers</source>
        <translation>Points valides</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="546"/>
        <source>Matched points consistent with one homography (verification, or the refined footprint&apos;s last fit)</source>
        <translation>Points appariés cohérents avec une même homographie (vérification, ou dernier ajustement de l'emprise affinée)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="548"/>
        <source>Retrieval</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="548"/>
        <source>Retrieval similarity of the tile to the photo, before verification (higher is more similar); in brackets the rank the retrieval gave, when verification changed it</source>
        <translation>Similarité de la tuile avec la photo à la recherche, avant vérification (plus c'est élevé, plus elles se ressemblent) ; entre parenthèses, le rang donné par la recherche quand la vérification l'a changé</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="566"/>
        <source>Footprint</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="572"/>
        <source>Refined from candidate #{}, method {}, reprojection error {} px</source>
        <translation>Affinée à partir du candidat n° {}, méthode {}, erreur de reprojection {} px</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="582"/>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="585"/>
        <source>tile {} of {}, scale {}, rotation {}°</source>
        <translation>tuile {} de {}, échelle {}, rotation {}°</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="163"/>
        <source>Search area</source>
        <translation>Zone de recherche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="166"/>
        <source>Anywhere</source>
        <translation>Partout</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="167"/>
        <source>Camera nadir</source>
        <translation>Nadir de la caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="168"/>
        <source>Near a point</source>
        <translation>Près d'un point</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="169"/>
        <source>Canvas extent</source>
        <translation>Emprise de la carte</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="170"/>
        <source>Polygons of a layer</source>
        <translation>Polygones d'une couche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="171"/>
        <source>Orbit (TLE file)</source>
        <translation>Orbite (fichier TLE)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="172"/>
        <source>NASA catalogue (ISS frames)</source>
        <translation>Catalogue NASA (clichés de l'ISS)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="176"/>
        <source>Only tiles of the index inside this area are searched; the area is drawn as the layer &apos;Search area&apos;</source>
        <translation>Seules les tuiles de l'index situées dans cette zone sont examinées ; la zone est dessinée dans la couche « Zone de recherche »</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="213"/>
        <source>file…</source>
        <translation>fichier…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="221"/>
        <source>The whole index is searched.</source>
        <translation>Tout l'index est examiné.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="225"/>
        <source>Nadir</source>
        <translation>Nadir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="232"/>
        <source>lat, lon</source>
        <translation>lat, lon</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="225"/>
        <source>The point on the ground straight below the camera at capture time (degrees)</source>
        <translation>Le point au sol à la verticale de la caméra au moment de la prise de vue (degrés)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="227"/>
        <source>Altitude km</source>
        <translation>Altitude km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="227"/>
        <source>Camera altitude in km, one value or a range (the ISS flies at 400-420 km)</source>
        <translation>Altitude de la caméra en km, une valeur ou un intervalle (l'ISS vole à 400-420 km)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="229"/>
        <source>Max off-nadir °</source>
        <translation>Hors nadir max. °</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="229"/>
        <source>optional: up to the horizon</source>
        <translation>facultatif : jusqu'à l'horizon</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="229"/>
        <source>Largest angle between the view and the vertical (degrees, optional)</source>
        <translation>Plus grand angle entre la visée et la verticale (degrés, facultatif)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="232"/>
        <source>Point</source>
        <translation>Point</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="232"/>
        <source>A position near the photo (degrees), e.g. a drone&apos;s or phone&apos;s GPS</source>
        <translation>Une position proche de la photo (degrés), par ex. le GPS d'un drone ou d'un téléphone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="234"/>
        <source>Radius km</source>
        <translation>Rayon km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="234"/>
        <source>Search within this distance of the point</source>
        <translation>Chercher à cette distance du point au plus</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="236"/>
        <source>Use the photo&apos;s EXIF GPS when it has one</source>
        <translation>Utiliser le GPS EXIF de la photo quand elle en a un</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="241"/>
        <source>What the map shows when the photo is dropped.</source>
        <translation>Ce que montre la carte quand la photo est déposée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="247"/>
        <source>A polygon layer of the project</source>
        <translation>Une couche de polygones du projet</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="249"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="252"/>
        <source>Selected polygons only</source>
        <translation>Polygones sélectionnés seulement</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="257"/>
        <source>TLE file</source>
        <translation>Fichier TLE</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="257"/>
        <source>Two-line elements of the spacecraft; with the photo&apos;s capture time they give the nadir</source>
        <translation>Paramètres orbitaux (TLE) de l'engin spatial ; avec la date de prise de vue de la photo, ils donnent le nadir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="257"/>
        <source>TLE files (*.tle *.txt);;All files (*)</source>
        <translation>Fichiers TLE (*.tle *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="260"/>
        <source>Capture time</source>
        <translation>Prise de vue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="260"/>
        <source>from EXIF; or 2020-02-14 10:32:05</source>
        <translation>d'après l'EXIF ; ou 2020-02-14 10:32:05</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="260"/>
        <source>UTC date and time of the photo, when its EXIF has none (or is wrong)</source>
        <translation>Date et heure UTC de la photo, quand son EXIF n'en a pas (ou qu'elle est fausse)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="263"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="263"/>
        <source>A NASA-style CSV: frame id, nadir lat/lon, focal length. Photos named like ISS062-E-150758 take their nadir from it; others search everywhere</source>
        <translation>Un CSV à la manière de la NASA : identifiant du cliché, lat/lon du nadir, focale. Les photos nommées comme ISS062-E-150758 y prennent leur nadir ; les autres sont cherchées partout</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="263"/>
        <source>CSV files (*.csv *.txt *.tsv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt *.tsv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="337"/>
        <source>no map canvas to take the extent from</source>
        <translation>aucune carte dont prendre l'emprise</translation>
    </message>
</context>
<context>
    <name>LocateTask</name>
    <message>
        <location filename="../astroloc_qgis/locate/tasks.py" line="33"/>
        <source>AstroLoc: locating {}</source>
        <translation>AstroLoc : localisation de {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/tasks.py" line="48"/>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/tasks.py" line="62"/>
        <source>see the QGIS log, AstroLoc tab</source>
        <translation>voir le journal de QGIS, onglet AstroLoc</translation>
    </message>
</context>
<context>
    <name>ResultLayers</name>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="136"/>
        <source>Candidates</source>
        <translation>Candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="141"/>
        <source>Footprint</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="146"/>
        <source>Camera</source>
        <translation>Caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="153"/>
        <source>Camera view</source>
        <translation>Vue de la caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="157"/>
        <source>Field of view</source>
        <translation>Champ de vision</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/map/overlay.py" line="103"/>
        <source>Photo (warped)</source>
        <translation>Photo (déformée)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="214"/>
        <source>AstroLoc — {}</source>
        <translation>AstroLoc — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="165"/>
        <source>Search area</source>
        <translation>Zone de recherche</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../astroloc_qgis/review/controller.py" line="112"/>
        <source>This photo has no footprint: take a candidate with 1-9, or reject it</source>
        <translation>Cette photo n'a pas d'emprise : prenez un candidat avec 1-9, ou rejetez-la</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/controller.py" line="126"/>
        <source>There is no candidate {0} for this photo</source>
        <translation>Cette photo n'a pas de candidat {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/controller.py" line="157"/>
        <source>All pending decisions were written to the session</source>
        <translation>Toutes les décisions en attente ont été écrites dans la session</translation>
    </message>
</context>
<context>
    <name>ReviewMap</name>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="59"/>
        <source>current photo</source>
        <translation>photo courante</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="92"/>
        <source>Look lines</source>
        <translation>Lignes de visée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="92"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="92"/>
        <source>Candidates (current photo)</source>
        <translation>Candidats (photo courante)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="92"/>
        <source>Footprints by status</source>
        <translation>Emprises par statut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="206"/>
        <source>Edit footprint — {0}</source>
        <translation>Modifier l'emprise — {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="90"/>
        <source>AstroLoc review</source>
        <translation>Revue AstroLoc</translation>
    </message>
</context>
<context>
    <name>ReviewMode</name>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="188"/>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="209"/>
        <source>This photo has no footprint to edit: take a candidate (1-9) first</source>
        <translation>Cette photo n'a pas d'emprise à modifier : prenez d'abord un candidat (1-9)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="219"/>
        <source>The edited footprint was not saved</source>
        <translation>L'emprise modifiée n'a pas été enregistrée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="235"/>
        <source>Nothing to {0}</source>
        <translation>Rien à {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="235"/>
        <source>undo</source>
        <translation>annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="235"/>
        <source>redo</source>
        <translation>rétablir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="278"/>
        <source>AstroLoc review</source>
        <translation>Revue AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="289"/>
        <source>All pending decisions were written to the session</source>
        <translation>Toutes les décisions en attente ont été écrites dans la session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="300"/>
        <source>Open review session</source>
        <translation>Ouvrir une session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="306"/>
        <source>Review session (*.gpkg)</source>
        <translation>Session de revue (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="306"/>
        <source>New review session</source>
        <translation>Nouvelle session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="312"/>
        <source>{0} exists: use Open to continue that session</source>
        <translation>{0} existe : utilisez Ouvrir pour poursuivre cette session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="321"/>
        <source>Export confirmed footprints</source>
        <translation>Exporter les emprises confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="319"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="335"/>
        <source>{0} footprint(s) exported to {1}</source>
        <translation>{0} emprise(s) exportée(s) vers {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="135"/>
        <source>AstroLoc: creating the review session</source>
        <translation>AstroLoc : création de la session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="189"/>
        <source>Review ({0} pending)</source>
        <translation>Revue ({0} en attente)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="320"/>
        <source>GeoPackage, plus GeoJSON and CSV beside it (*.gpkg)</source>
        <translation>GeoPackage, avec GeoJSON et CSV à côté (*.gpkg)</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="55"/>
        <source>No review session open.</source>
        <translation>Aucune session de revue ouverte.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="60"/>
        <source>Open…</source>
        <translation>Ouvrir…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="61"/>
        <source>Open a review session (GeoPackage)</source>
        <translation>Ouvrir une session de revue (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="65"/>
        <source>New…</source>
        <translation>Nouvelle…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="66"/>
        <source>Create a new review session</source>
        <translation>Créer une nouvelle session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="79"/>
        <source>Order</source>
        <translation>Ordre</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="81"/>
        <source>Lowest confidence first</source>
        <translation>Confiance la plus faible d'abord</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="82"/>
        <source>Highest confidence first</source>
        <translation>Confiance la plus élevée d'abord</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="90"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="90"/>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="90"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="107"/>
        <source>Confirm</source>
        <translation>Confirmer</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="107"/>
        <source>Reject</source>
        <translation>Rejeter</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="107"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="111"/>
        <source>Previous</source>
        <translation>Précédente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="111"/>
        <source>Next</source>
        <translation>Suivante</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="115"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="116"/>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="124"/>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="129"/>
        <source>Take candidate {0} as the answer (key {0})</source>
        <translation>Prendre le candidat {0} comme réponse (touche {0})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="140"/>
        <source>Retry writing</source>
        <translation>Réessayer l'écriture</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="150"/>
        <source>Keys on the map: A confirm · R reject · E edit (E/Enter save, Esc cancel) · 1-9 candidate · N/P next/previous · Ctrl+Z/Ctrl+Shift+Z undo/redo</source>
        <translation>Touches sur la carte : A confirmer · R rejeter · E modifier (E/Entrée enregistrer, Échap annuler) · 1-9 candidat · N/P suivante/précédente · Ctrl+Z/Ctrl+Maj+Z annuler/rétablir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="156"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="157"/>
        <source>Export confirmed and edited footprints (GeoPackage)</source>
        <translation>Exporter les emprises confirmées et modifiées (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="164"/>
        <source>Key {0} when the map has focus</source>
        <translation>Touche {0} quand la carte a le focus</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="172"/>
        <source>Session: {0}</source>
        <translation>Session : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="175"/>
        <source>No review session open: results are recorded in a new session as they arrive, or open one.</source>
        <translation>Aucune session de revue ouverte : les résultats sont enregistrés dans une nouvelle session à mesure qu'ils arrivent, ou ouvrez-en une.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="212"/>
        <source>Nothing to review.</source>
        <translation>Rien à revoir.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="216"/>
        <source>confidence {0}</source>
        <translation>confiance {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="218"/>
        <source>footprint: {0}, {1:.1f} km²</source>
        <translation>emprise : {0}, {1:.1f} km²</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="221"/>
        <source>no footprint: take a candidate (1-{0}) or reject</source>
        <translation>pas d'emprise : prenez un candidat (1-{0}) ou rejetez</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="239"/>
        <source>Save edit (E)</source>
        <translation>Enregistrer (E)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="239"/>
        <source>Edit (E)</source>
        <translation>Modifier (E)</translation>
    </message>
</context>
<context>
    <name>ReviewStatus</name>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="24"/>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="24"/>
        <source>confirmed</source>
        <translation>confirmée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="25"/>
        <source>rejected</source>
        <translation>rejetée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="25"/>
        <source>edited</source>
        <translation>modifiée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="31"/>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="31"/>
        <source>Confirmed</source>
        <translation>Confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="32"/>
        <source>Rejected</source>
        <translation>Rejetées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="32"/>
        <source>Edited</source>
        <translation>Modifiées</translation>
    </message>
</context>
<context>
    <name>SearchArea</name>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="71"/>
        <source>&apos;{}&apos; is not a latitude, longitude pair: type e.g. 47.04, -99.15</source>
        <translation>« {} » n'est pas un couple latitude, longitude : tapez par ex. 47.04, -99.15</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="74"/>
        <source>{}, {} is outside [-90, 90] x [-180, 180]: latitude first, then longitude, in degrees</source>
        <translation>{}, {} est hors de [-90, 90] x [-180, 180] : la latitude d'abord, puis la longitude, en degrés</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="84"/>
        <source>&apos;{}&apos; is not a number</source>
        <translation>« {} » n'est pas un nombre</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="86"/>
        <source>above {}</source>
        <translation>supérieur à {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="86"/>
        <source>between {} and {}</source>
        <translation>entre {} et {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="88"/>
        <source>{} must be {}</source>
        <translation>{} doit être {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="96"/>
        <source>&apos;{}&apos; is not an altitude: type km, e.g. 410 or 400-420</source>
        <translation>« {} » n'est pas une altitude : tapez des km, par ex. 410 ou 400-420</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="104"/>
        <source>choose the {} file</source>
        <translation>choisissez le fichier {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="106"/>
        <source>{} does not exist: choose the {} file</source>
        <translation>{} n'existe pas : choisissez le fichier {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="116"/>
        <source>no polygon to search in: select polygons of a polygon layer</source>
        <translation>aucun polygone où chercher : sélectionnez des polygones d'une couche de polygones</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="137"/>
        <source>cannot write the search area to {}: {}</source>
        <translation>impossible d'écrire la zone de recherche dans {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="145"/>
        <source>the map shows nothing yet: zoom to the area to search</source>
        <translation>la carte ne montre encore rien : zoomez sur la zone à examiner</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="153"/>
        <source>choose a polygon layer</source>
        <translation>choisissez une couche de polygones</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="157"/>
        <source>no polygon of {} is selected: select the area&apos;s polygons on the map</source>
        <translation>aucun polygone de {} n'est sélectionné : sélectionnez sur la carte les polygones de la zone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="196"/>
        <source>type the point (latitude, longitude), or drop a photo with EXIF GPS</source>
        <translation>tapez le point (latitude, longitude), ou déposez une photo avec un GPS EXIF</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="200"/>
        <source>area</source>
        <translation>de zone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="202"/>
        <source>two-line element (TLE)</source>
        <translation>de paramètres orbitaux (TLE)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="207"/>
        <source>catalogue CSV</source>
        <translation>catalogue CSV</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="209"/>
        <source>unknown search area {}</source>
        <translation>zone de recherche inconnue {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="218"/>
        <source>&apos;{}&apos; is not a date and time: type e.g. 2020-02-14 10:32:05 (UTC)</source>
        <translation>« {} » n'est pas une date et une heure : tapez par ex. 2020-02-14 10:32:05 (UTC)</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="75"/>
        <source>Session file not found: {0}</source>
        <translation>Fichier de session introuvable : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="51"/>
        <source>Cannot create the session: folder {0} does not exist</source>
        <translation>Impossible de créer la session : le dossier {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="53"/>
        <source>Cannot create the session: folder {0} is not writable</source>
        <translation>Impossible de créer la session : le dossier {0} n'est pas accessible en écriture</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="70"/>
        <source>Cannot create the session {0}: {1}</source>
        <translation>Impossible de créer la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="38"/>
        <source>Cannot open the session {0}: {1}</source>
        <translation>Impossible d'ouvrir la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="42"/>
        <source>{0} is not an AstroLoc review session (missing tables: {1})</source>
        <translation>{0} n'est pas une session de revue AstroLoc (tables manquantes : {1})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="114"/>
        <source>Could not read the session {0}: {1}</source>
        <translation>Impossible de lire la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="269"/>
        <source>Photo has no candidate {0}</source>
        <translation>La photo n'a pas de candidat {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="323"/>
        <source>Cannot undo or redo: the photo was changed since (by another reviewer or a new result)</source>
        <translation>Impossible d'annuler ou de rétablir : la photo a changé depuis (autre relecteur ou nouveau résultat)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="384"/>
        <source>Session {0}: all pending decisions were written</source>
        <translation>Session {0} : toutes les décisions en attente ont été écrites</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="432"/>
        <source>the file is read-only</source>
        <translation>le fichier est en lecture seule</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="434"/>
        <source>the file is locked by another program</source>
        <translation>le fichier est verrouillé par un autre programme</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="437"/>
        <source>Cannot write to the review session {0} ({1}). {2} decision(s) are kept and will be written as soon as possible; nothing is lost.</source>
        <translation>Impossible d'écrire dans la session de revue {0} ({1}). {2} décision(s) sont conservées et seront écrites dès que possible ; rien n'est perdu.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="483"/>
        <source>Could not write the decision journal either: the decision is kept in memory only</source>
        <translation>Impossible d'écrire aussi le journal des décisions : la décision n'est conservée qu'en mémoire</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="55"/>
        <source>AstroLoc settings</source>
        <translation>Paramètres d'AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="63"/>
        <source>not found: create the environment below</source>
        <translation>introuvable : créez l'environnement ci-dessous</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="65"/>
        <source>Engine Python</source>
        <translation>Python du moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="67"/>
        <source>Environment folder</source>
        <translation>Dossier de l'environnement</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="69"/>
        <source>optional: offline wheel folder</source>
        <translation>facultatif : dossier de paquets hors ligne</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="70"/>
        <source>Offline wheels</source>
        <translation>Paquets hors ligne (wheels)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="72"/>
        <source>Default index</source>
        <translation>Index par défaut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="73"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="75"/>
        <source>Review session</source>
        <translation>Session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="77"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="81"/>
        <source>Candidates (k)</source>
        <translation>Candidats (k)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="85"/>
        <source>Test engine</source>
        <translation>Tester le moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="88"/>
        <source>Create environment…</source>
        <translation>Créer l'environnement…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="96"/>
        <source>Engine versions and messages appear here.</source>
        <translation>Les versions du moteur et les messages s'affichent ici.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="131"/>
        <source>No engine Python found. Click 'Create environment…'.</source>
        <translation>Aucun Python de moteur trouvé. Cliquez sur « Créer l'environnement… ».</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="133"/>
        <source>Starting {} …</source>
        <translation>Démarrage de {} …</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="140"/>
        <source>The engine failed: {}</source>
        <translation>Le moteur a échoué : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="144"/>
        <source>Testing the AstroLoc engine</source>
        <translation>Test du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="154"/>
        <source>Environment ready in {}.</source>
        <translation>Environnement prêt dans {}.</translation>
    </message>
</context>
<context>
    <name>WorkerClient</name>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="33"/>
        <source>open AstroLoc settings and click 'Test engine', or 'Create environment…' to rebuild it</source>
        <translation>ouvrez les paramètres d'AstroLoc et cliquez sur « Tester le moteur », ou sur « Créer l'environnement… » pour le reconstruire</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="52"/>
        <source>The engine environment is incomplete ({}).</source>
        <translation>L'environnement du moteur est incomplet ({}).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="189"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="98"/>
        <source>The engine ended the request without a result.</source>
        <translation>Le moteur a terminé la requête sans résultat.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="139"/>
        <source>The AstroLoc engine stopped unexpectedly (exit code {}).</source>
        <translation>Le moteur AstroLoc s'est arrêté de façon inattendue (code de sortie {}).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="237"/>
        <source>The next photo restarts it. Details are in {}.</source>
        <translation>La photo suivante le redémarre. Détails dans {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="192"/>
        <source>The AstroLoc engine did not start in time.</source>
        <translation>Le moteur AstroLoc n'a pas démarré à temps.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="192"/>
        <source>See {}.</source>
        <translation>Voir {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="195"/>
        <source>The AstroLoc engine could not start.</source>
        <translation>Le moteur AstroLoc n'a pas pu démarrer.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="195"/>
        <source>{} (full log: {}; check the engine environment in AstroLoc settings)</source>
        <translation>{} (journal complet : {} ; vérifiez l'environnement du moteur dans les paramètres d'AstroLoc)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="202"/>
        <source>The engine environment of {} lacks {}.</source>
        <translation>Il manque {1} dans l'environnement du moteur de {0}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="218"/>
        <source>The AstroLoc engine could not start: {}.</source>
        <translation>Le moteur AstroLoc n'a pas pu démarrer : {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="218"/>
        <source>Open AstroLoc settings and set up the engine environment.</source>
        <translation>Ouvrez les paramètres d'AstroLoc et installez l'environnement du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="237"/>
        <source>The AstroLoc engine stopped unexpectedly.</source>
        <translation>Le moteur AstroLoc s'est arrêté de façon inattendue.</translation>
    </message>
</context>
</TS>
