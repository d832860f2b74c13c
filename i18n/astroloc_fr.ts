<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="68"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="80"/>
        <source>The AstroLoc engine environment is not set up. Open AstroLoc settings and click &apos;Create environment&apos; (or set the engine Python).</source>
        <translation>L'environnement du moteur AstroLoc n'est pas installé. Ouvrez les paramètres d'AstroLoc et cliquez sur « Créer l'environnement » (ou indiquez le Python du moteur).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="80"/>
        <source>Set up engine…</source>
        <translation>Installer le moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="105"/>
        <source>{} is a folder. Drop photo files (JPEG, PNG, TIFF), not folders.</source>
        <translation>{} est un dossier. Déposez des fichiers photo (JPEG, PNG, TIFF), pas des dossiers.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="107"/>
        <source>{} does not exist.</source>
        <translation>{} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="109"/>
        <source>{} is not an image AstroLoc can read. Use a JPEG, PNG or TIFF photo.</source>
        <translation>{} n'est pas une image lisible par AstroLoc. Utilisez une photo JPEG, PNG ou TIFF.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="114"/>
        <source>No tile index chosen. Pick the index folder in the AstroLoc panel (the … button next to 'Index'), or build one with the engine command line.</source>
        <translation>Aucun index de tuiles choisi. Choisissez le dossier de l'index dans le panneau AstroLoc (bouton … à côté de « Index »), ou construisez-en un avec la ligne de commande du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="117"/>
        <source>The index folder {} does not exist. Pick another index in the AstroLoc panel.</source>
        <translation>Le dossier d'index {} n'existe pas. Choisissez un autre index dans le panneau AstroLoc.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="152"/>
        <source>Locating {}…</source>
        <translation>Localisation de {}…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="167"/>
        <source>{} photo(s) waiting</source>
        <translation>{} photo(s) en attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="158"/>
        <source> ({} more waiting)</source>
        <translation> ({} autre(s) en attente)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="175"/>
        <source>Cancelled {}.</source>
        <translation>{} annulée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="178"/>
        <source>Could not locate {}: {}</source>
        <translation>Impossible de localiser {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="178"/>
        <source>no result</source>
        <translation>aucun résultat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="185"/>
        <source>No match for {} in this index.</source>
        <translation>Aucune correspondance pour {} dans cet index.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="187"/>
        <source>search only: the engine has no locate</source>
        <translation>recherche seule : le moteur ne sait pas encore localiser</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="189"/>
        <source>Located {}.</source>
        <translation>{} localisée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="232"/>
        <source>{} has no {}: is it an AstroLoc index? Build one with the engine command line.</source>
        <translation>{} n'a pas de {} : est-ce bien un index AstroLoc ? Construisez-en un avec la ligne de commande du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="235"/>
        <source>Index coverage — {}</source>
        <translation>Couverture de l'index — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/controller.py" line="237"/>
        <source>Cannot read {}.</source>
        <translation>Impossible de lire {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/engine_env.py" line="116"/>
        <source>No system Python 3 found to create the engine environment.</source>
        <translation>Aucun Python 3 système trouvé pour créer l'environnement du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/engine_env.py" line="130"/>
        <source>Creating the AstroLoc engine environment</source>
        <translation>Création de l'environnement du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/engine_env.py" line="140"/>
        <source>requirements/engine.txt is missing from the plugin; reinstall the plugin.</source>
        <translation>requirements/engine.txt manque dans l'extension ; réinstallez l'extension.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/engine_env.py" line="168"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/engine_env.py" line="171"/>
        <source>The command failed (exit code {}): {}</source>
        <translation>La commande a échoué (code de sortie {}) : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="139"/>
        <source>Candidates</source>
        <translation>Candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="147"/>
        <source>Footprint</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="154"/>
        <source>Camera</source>
        <translation>Caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="162"/>
        <source>Camera view</source>
        <translation>Visée de la caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="168"/>
        <source>Field of view</source>
        <translation>Champ de vision</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="213"/>
        <source>AstroLoc — {}</source>
        <translation>AstroLoc — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/layers.py" line="196"/>
        <source>Photo (warped)</source>
        <translation>Photo (déformée)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="89"/>
        <source>AstroLoc panel</source>
        <translation>Panneau AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="91"/>
        <source>Locate photos…</source>
        <translation>Localiser des photos…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="92"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/tasks.py" line="51"/>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/tasks.py" line="36"/>
        <source>AstroLoc: locating {}</source>
        <translation>AstroLoc : localisation de {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/tasks.py" line="63"/>
        <source>see the QGIS log, AstroLoc tab</source>
        <translation>voir le journal de QGIS, onglet AstroLoc</translation>
    </message>
</context>
<context>
    <name>AstroLocDock</name>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="95"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="103"/>
        <source>Drop photos here
or click to choose files</source>
        <translation>Déposez des photos ici
ou cliquez pour choisir des fichiers</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="108"/>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="113"/>
        <source>Tile index folder (recent indexes first)</source>
        <translation>Dossier de l'index de tuiles (index récents en premier)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="118"/>
        <source>Choose an index folder</source>
        <translation>Choisir un dossier d'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="136"/>
        <source>Ready.</source>
        <translation>Prêt.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="144"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="152"/>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="152"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="152"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="152"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="163"/>
        <source>Photo opacity</source>
        <translation>Opacité de la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="171"/>
        <source>AstroLoc settings</source>
        <translation>Paramètres d'AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="209"/>
        <source>Choose photos to locate</source>
        <translation>Choisir les photos à localiser</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="209"/>
        <source>Images ({})</source>
        <translation>Images ({})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="209"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="225"/>
        <source>(no index chosen)</source>
        <translation>(aucun index choisi)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="237"/>
        <source>Choose a tile index folder</source>
        <translation>Choisir un dossier d'index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="257"/>
        <source>No photo yet.</source>
        <translation>Pas encore de photo.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="266"/>
        <source>no preview</source>
        <translation>pas d'aperçu</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="296"/>
        <source>Footprint</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="300"/>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/dock.py" line="303"/>
        <source>tile {} of {}, scale {}, rotation {}°</source>
        <translation>tuile {} de {}, échelle {}, rotation {}°</translation>
    </message>
</context>
<context>
    <name>AstroLocProcessing</name>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="34"/>
        <source>Build tile index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="37"/>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="43"/>
        <source>Tile and embed georeferenced rasters into a new AstroLoc tile index.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="46"/>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="69"/>
        <source>Raster sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="71"/>
        <source>Folder of rasters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="73"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="74"/>
        <source>Tile size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="77"/>
        <source>Scales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="96"/>
        <source>Engine Python</source>
        <translation>Python du moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="80"/>
        <source>Index folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="81"/>
        <source>Tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="82"/>
        <source>Index coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="91"/>
        <source>The folder {0} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="94"/>
        <source>No raster sources: give raster layers or a folder of rasters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="106"/>
        <source>Indexing {0} raster(s) into {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="25"/>
        <source>Export confirmed footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="28"/>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="34"/>
        <source>Export the confirmed and edited footprints of a review session as a GeoPackage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="37"/>
        <source>Writes the footprints of every photo confirmed or edited in a review session to a GeoPackage layer confirmed_footprints (Polygon, EPSG:4326) with a stable schema: photo file name and SHA-256, capture time from EXIF, area in km², nadir latitude/longitude, altitude, tilt, azimuth, confidence, method, model id, status, reviewer and decision time (docs/EXPORT_SCHEMA.md). Pending and rejected photos are left out. The session is only read, never changed.

&lt;b&gt;Review session&lt;/b&gt;: the session GeoPackage.
&lt;b&gt;Confirmed footprints&lt;/b&gt;: the GeoPackage to write (replaced if it exists).
&lt;b&gt;Also write GeoJSON&lt;/b&gt; / &lt;b&gt;Also write CSV&lt;/b&gt;: the same rows next to it as .geojson (RFC 7946) and .csv (polygon as WKT).

A missing or non-writable output folder is an error and nothing is written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="97"/>
        <source>Review session</source>
        <translation>Session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="58"/>
        <source>Also write GeoJSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="59"/>
        <source>Also write CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="60"/>
        <source>Confirmed footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="62"/>
        <source>Footprints exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="68"/>
        <source>The output must be a GeoPackage (.gpkg): {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="142"/>
        <source>{0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="80"/>
        <source>{0} confirmed footprint(s) exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="33"/>
        <source>The photo folder {0} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="51"/>
        <source>Localize photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="54"/>
        <source>Localization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="60"/>
        <source>Find where photos were taken and write the results into a review session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="63"/>
        <source>Finds where each photo was taken: retrieves the most similar tiles of the index, verifies them by feature matching and estimates the footprint and the camera pose. Every result is written into the review session as soon as it arrives (status pending), ready for review in the AstroLoc panel&apos;s Review tab.

&lt;b&gt;Photo folder&lt;/b&gt; (optional): every JPEG/PNG/TIFF/WebP photo directly in this folder.
&lt;b&gt;Photo files&lt;/b&gt; (optional): paths separated by semicolons or new lines.
&lt;b&gt;Tile index&lt;/b&gt;: an index folder built with &quot;Build tile index&quot; or the engine command line.
&lt;b&gt;Candidates&lt;/b&gt;: number of ranked candidate tiles kept per photo (default 10).
&lt;b&gt;Reviewer&lt;/b&gt; (optional): name recorded in the session; default: AstroLoc settings.
&lt;b&gt;Engine Python&lt;/b&gt; (optional): interpreter of the engine environment; default: AstroLoc settings.
&lt;b&gt;Review session&lt;/b&gt;: GeoPackage; created if missing, results are added to an existing one.

Outputs: the session, and the numbers of photos located, not found and failed. A photo that fails is reported in the log and the others go on. Cancelling stops after the current photo&apos;s engine request is cancelled; results already written stay in the session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="86"/>
        <source>Photo folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="88"/>
        <source>Photo files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="90"/>
        <source>Tile index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="92"/>
        <source>Candidates</source>
        <translation>Candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="94"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="97"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="99"/>
        <source>Photos located</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="100"/>
        <source>Photos not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="101"/>
        <source>Photos failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="107"/>
        <source>No photos: give a photo folder or photo files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="110"/>
        <source>The index folder {0} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="123"/>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="132"/>
        <source>[{0}/{1}] {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="134"/>
        <source>{0} does not exist; skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="148"/>
        <source>{0}: {1}, written to the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="148"/>
        <source>located</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="148"/>
        <source>not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="157"/>
        <source>Cancelled; {0} result(s) were written to the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="174"/>
        <source>The engine has no locate yet: retrieval candidates only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/engine_cli.py" line="34"/>
        <source>The AstroLoc engine environment is not set up (looked in: {0}). Set the ENGINE_PYTHON parameter or create the environment in AstroLoc settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/engine_cli.py" line="51"/>
        <source>Cannot start the engine {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/engine_cli.py" line="85"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/engine_cli.py" line="88"/>
        <source>The engine failed (exit {0}): {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/provider.py" line="19"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/provider.py" line="22"/>
        <source>AstroLoc: find where photos were taken</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnvSetupDialog</name>
    <message>
        <location filename="../astroloc_qgis/gui/env_setup_dialog.py" line="23"/>
        <source>Create the AstroLoc engine environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/env_setup_dialog.py" line="27"/>
        <source>the Python Package Index (internet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/env_setup_dialog.py" line="28"/>
        <source>Folder: {}
Packages from: {}
This downloads about 1.4 GB and takes a few minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/env_setup_dialog.py" line="52"/>
        <source>Done: the engine environment is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/env_setup_dialog.py" line="58"/>
        <source>Failed: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/env_setup_dialog.py" line="58"/>
        <source>see the log above</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="49"/>
        <source>Session file not found: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="68"/>
        <source>Cannot read the session {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="100"/>
        <source>Unknown export format(s): {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="103"/>
        <source>Cannot export: the folder {0} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="105"/>
        <source>Cannot export: the folder {0} is not writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="109"/>
        <source>Cannot export over the session file itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="112"/>
        <source>Cannot export: {0} already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="162"/>
        <source>Cannot write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../astroloc_qgis/session/review.py" line="111"/>
        <source>This photo has no footprint: take a candidate with 1-9, or reject it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/review.py" line="125"/>
        <source>There is no candidate {0} for this photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/review.py" line="156"/>
        <source>All pending decisions were written to the session</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewMap</name>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="53"/>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="53"/>
        <source>confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="54"/>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="54"/>
        <source>edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="65"/>
        <source>current photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="98"/>
        <source>Look lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="98"/>
        <source>Cameras</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="98"/>
        <source>Candidates (current photo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="98"/>
        <source>Footprints by status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="174"/>
        <source>Photo (warped)</source>
        <translation>Photo (déformée)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_map.py" line="219"/>
        <source>Edit footprint — {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewMode</name>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="41"/>
        <source>Locate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="44"/>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="157"/>
        <source>This photo has no footprint to edit: take a candidate (1-9) first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="167"/>
        <source>The edited footprint was not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="183"/>
        <source>Nothing to {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="183"/>
        <source>undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="183"/>
        <source>redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="224"/>
        <source>AstroLoc review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="235"/>
        <source>All pending decisions were written to the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="246"/>
        <source>Open review session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="252"/>
        <source>Review session (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="252"/>
        <source>New review session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="258"/>
        <source>{0} exists: use Open to continue that session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="265"/>
        <source>Export confirmed footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="265"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review_mode.py" line="276"/>
        <source>{0} footprint(s) exported to {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="45"/>
        <source>No review session open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="50"/>
        <source>Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="51"/>
        <source>Open a review session (GeoPackage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="55"/>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="56"/>
        <source>Create a new review session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="67"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="69"/>
        <source>Lowest confidence first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="70"/>
        <source>Highest confidence first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="78"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="78"/>
        <source>Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="78"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="94"/>
        <source>Confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="94"/>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="94"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="98"/>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="98"/>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="102"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="103"/>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="110"/>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="115"/>
        <source>Take candidate {0} as the answer (key {0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="125"/>
        <source>Retry writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="134"/>
        <source>Keys on the map: A confirm · R reject · E edit (E/Enter save, Esc cancel) · 1-9 candidate · N/P next/previous · Ctrl+Z/Ctrl+Shift+Z undo/redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="140"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="141"/>
        <source>Export confirmed and edited footprints (GeoPackage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="149"/>
        <source>Key {0} when the map has focus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="157"/>
        <source>Session: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="160"/>
        <source>No review session open: results are recorded in a new session as they arrive, or open one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="168"/>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="168"/>
        <source>Confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="168"/>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="168"/>
        <source>Edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="198"/>
        <source>Nothing to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="202"/>
        <source>confidence {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="204"/>
        <source>footprint: {0}, {1:.1f} km²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="207"/>
        <source>no footprint: take a candidate (1-{0}) or reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="217"/>
        <source>Save edit (E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="217"/>
        <source>Edit (E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="220"/>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="220"/>
        <source>confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="220"/>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/review_panel.py" line="221"/>
        <source>edited</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="76"/>
        <source>Session file not found: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="88"/>
        <source>Cannot create the session: folder {0} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="90"/>
        <source>Cannot create the session: folder {0} is not writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="107"/>
        <source>Cannot create the session {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="122"/>
        <source>Cannot open the session {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="126"/>
        <source>{0} is not an AstroLoc review session (missing tables: {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="157"/>
        <source>Could not read the session {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="271"/>
        <source>Photo has no candidate {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="325"/>
        <source>Cannot undo or redo: the photo was changed since (by another reviewer or a new result)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="381"/>
        <source>Session {0}: all pending decisions were written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="426"/>
        <source>the file is read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="428"/>
        <source>the file is locked by another program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="431"/>
        <source>Cannot write to the review session {0} ({1}). {2} decision(s) are kept and will be written as soon as possible; nothing is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="558"/>
        <source>Could not write the decision journal either: the decision is kept in memory only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="61"/>
        <source>AstroLoc settings</source>
        <translation>Paramètres d'AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="69"/>
        <source>not found: create the environment below</source>
        <translation>introuvable : créez l'environnement ci-dessous</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="71"/>
        <source>Engine Python</source>
        <translation>Python du moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="73"/>
        <source>Environment folder</source>
        <translation>Dossier de l'environnement</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="75"/>
        <source>optional: offline wheel folder</source>
        <translation>facultatif : dossier de paquets hors ligne</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="76"/>
        <source>Offline wheels</source>
        <translation>Paquets hors ligne (wheels)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="78"/>
        <source>Default index</source>
        <translation>Index par défaut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="79"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="81"/>
        <source>Review session</source>
        <translation>Session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="83"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="87"/>
        <source>Candidates (k)</source>
        <translation>Candidats (k)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="91"/>
        <source>Test engine</source>
        <translation>Tester le moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="94"/>
        <source>Create environment…</source>
        <translation>Créer l'environnement…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="102"/>
        <source>Engine versions and messages appear here.</source>
        <translation>Les versions du moteur et les messages s'affichent ici.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="137"/>
        <source>No engine Python found. Click 'Create environment…'.</source>
        <translation>Aucun Python de moteur trouvé. Cliquez sur « Créer l'environnement… ».</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="139"/>
        <source>Starting {} …</source>
        <translation>Démarrage de {} …</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="146"/>
        <source>The engine failed: {}</source>
        <translation>Le moteur a échoué : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="150"/>
        <source>Testing the AstroLoc engine</source>
        <translation>Test du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/gui/settings_dialog.py" line="162"/>
        <source>Environment ready in {}.</source>
        <translation>Environnement prêt dans {}.</translation>
    </message>
</context>
</TS>
