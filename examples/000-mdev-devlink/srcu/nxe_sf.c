// SPDX-License-Identifier: GPL-2.0
/*
 * 000-mdev-devlink, SRCU variant: the nxe NIC's sub-functions, exposed
 * as mdevs. Creating a sub-function registers a devlink instance for it
 * (devlink_mutex) from inside the mdev core's create path. Removal hands
 * the devlink teardown to a work item, so ->remove takes no devlink lock.
 */
/* expect: none */

#include "scenario.h"

static DEFINE_IDA(nxe_sf_ida);

static const struct devlink_ops nxe_sf_devlink_ops = {
};

static void nxe_sf_teardown_work(struct work_struct *work)
{
	struct nxe_sf *sf = container_of(work, struct nxe_sf, teardown_work);

	devlink_unregister(sf->devlink);
	devlink_free(sf->devlink);
	kfree(sf);
}

static int nxe_sf_create(struct mdev_device *mdev)
{
	struct nxe_dev *ndev = dev_get_drvdata(mdev->parent->dev);
	struct nxe_sf *sf;
	int ret;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return -ENOMEM;

	sf->devlink = devlink_alloc(&nxe_sf_devlink_ops, 0, &mdev->dev);
	if (!sf->devlink) {
		ret = -ENOMEM;
		goto err_free_sf;
	}
	ret = ida_alloc_max(&nxe_sf_ida, 255, GFP_KERNEL);
	if (ret < 0)
		goto err_free_devlink;

	sf->hw_id = ret;
	sf->ndev = ndev;
	INIT_WORK(&sf->teardown_work, nxe_sf_teardown_work);
	writel(1, ndev->bar + NXE_SF_CTRL(sf->hw_id));

	devlink_register(sf->devlink);
	mdev->driver_data = sf;
	return 0;

err_free_devlink:
	devlink_free(sf->devlink);
err_free_sf:
	kfree(sf);
	return ret;
}

static int nxe_sf_remove(struct mdev_device *mdev)
{
	struct nxe_sf *sf = mdev->driver_data;

	writel(0, sf->ndev->bar + NXE_SF_CTRL(sf->hw_id));
	ida_free(&nxe_sf_ida, sf->hw_id);
	mdev->driver_data = NULL;
	schedule_work(&sf->teardown_work);
	return 0;
}

static const struct mdev_parent_ops nxe_sf_mdev_ops = {
	.owner	= THIS_MODULE,
	.create	= nxe_sf_create,
	.remove	= nxe_sf_remove,
};

int nxe_sf_parent_register(struct nxe_dev *ndev)
{
	return mdev_register_device(ndev->dev, &nxe_sf_mdev_ops);
}

void nxe_sf_parent_unregister(struct nxe_dev *ndev)
{
	mdev_unregister_device(ndev->dev);
}
